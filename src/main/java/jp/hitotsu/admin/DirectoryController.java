package jp.hitotsu.admin;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.directory.DirectoryGroups;
import jp.hitotsu.directory.DirectoryService;
import jp.hitotsu.directory.OrgUnits;
import jp.hitotsu.directory.Page;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The directory of a realm, one change at a time: organisation units, staff data, posts,
 * role rules and direct role grants, and (read only: SCIM writes them) groups; units change by rename, merge or close from a time.
 * Times are ISO-8601 with an offset ({@code 2027-04-01T00:00:00+09:00}); absent means now
 * (from, at, effectiveAt) or open-ended (to). Lists are pages ({@code first}, {@code max})
 * in a stable order.
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}")
class DirectoryController {

	private final AdminChanges changes;

	private final DirectoryService directory;

	private final OrgUnits units;

	private final DirectoryGroups groups;

	DirectoryController(AdminChanges changes, DirectoryService directory, OrgUnits units, DirectoryGroups groups) {
		this.changes = changes;
		this.directory = directory;
		this.units = units;
		this.groups = groups;
	}

	record UnitRequest(String kind, String nameJa, String nameEn, String parent, OffsetDateTime validFrom,
			OffsetDateTime validTo) {
	}

	record AssignmentRequest(String unit, String kind, String post, OffsetDateTime validFrom,
			OffsetDateTime validTo) {
	}

	// named apart from the activation code's Created (DirectoryBundles) in the OpenAPI description
	@Schema(name = "CreatedId")
	record Created(UUID id) {
	}

	/** A rename, merge or close of a unit, from {@code effectiveAt} (now when absent). */
	record UnitChangeRequest(String nameJa, String nameEn, String into, OffsetDateTime effectiveAt) {
	}

	@GetMapping("/directory/units")
	@Operation(summary = "List the organisation units open at a time, by code")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	Page<OrgUnits.Unit> units(@PathVariable String realm, @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime at,
			@RequestParam(required = false) String parent, @RequestParam(defaultValue = "0") int first,
			@RequestParam(defaultValue = "100") int max) {
		return this.units.list(realm, instant(at), parent, first, max);
	}

	@GetMapping("/directory/units/{code}")
	@Operation(summary = "Show an organisation unit with its names and period")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	OrgUnits.Unit unit(@PathVariable String realm, @PathVariable String code,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime at) {
		return this.units.find(realm, code, instant(at));
	}

	@PostMapping("/directory/units/{code}/rename")
	@Operation(summary = "Rename a unit from a time")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void renameUnit(@PathVariable String realm, @PathVariable String code, @RequestBody UnitChangeRequest change,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.renameUnit(administrator, realm, code, change.nameJa(), change.nameEn(),
				instant(change.effectiveAt()), request.getRemoteAddr());
	}

	@PostMapping("/directory/units/{code}/merge")
	@Operation(summary = "Merge a unit into another from a time")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	OrgUnits.Merged mergeUnit(@PathVariable String realm, @PathVariable String code,
			@RequestBody UnitChangeRequest change,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return this.changes.mergeUnit(administrator, realm, code, change.into(), instant(change.effectiveAt()),
				request.getRemoteAddr());
	}

	@PostMapping("/directory/units/{code}/close")
	@Operation(summary = "Close a unit from a time")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void closeUnit(@PathVariable String realm, @PathVariable String code, @RequestBody UnitChangeRequest change,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.closeUnit(administrator, realm, code, instant(change.effectiveAt()), request.getRemoteAddr());
	}

	@DeleteMapping("/directory/units/{code}")
	@Operation(summary = "Delete a unit nothing ever referred to")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void deleteUnit(@PathVariable String realm, @PathVariable String code,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.deleteUnit(administrator, realm, code, request.getRemoteAddr());
	}

	@GetMapping("/users/{userId}/assignments")
	@Operation(summary = "List a person's posts, by start")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	Page<DirectoryService.Post> assignments(@PathVariable String realm, @PathVariable String userId,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime at, @RequestParam(defaultValue = "0") int first,
			@RequestParam(defaultValue = "100") int max) {
		return this.directory.posts(this.changes.user(realm, userId).id(), instant(at), first, max);
	}

	@DeleteMapping("/users/{userId}/assignments/{id}")
	@Operation(summary = "Delete a post entered by mistake")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void removeAssignment(@PathVariable String realm, @PathVariable String userId, @PathVariable UUID id,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.removeAssignment(administrator, realm, userId, id, request.getRemoteAddr());
	}

	@GetMapping("/directory/role-rules")
	@Operation(summary = "List the role rules, by client, role and id")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	Page<DirectoryService.RoleRule> roleRules(@PathVariable String realm,
			@RequestParam(required = false) String client, @RequestParam(defaultValue = "0") int first,
			@RequestParam(defaultValue = "100") int max) {
		return this.directory.roleRules(realm, client, first, max);
	}

	@GetMapping("/directory/groups")
	@Operation(summary = "List the realm's groups (fed through SCIM), by display name")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	Page<DirectoryGroups.Group> groups(@PathVariable String realm, @RequestParam(defaultValue = "0") int first,
			@RequestParam(defaultValue = "100") int max) {
		return this.groups.list(realm, first, max);
	}

	@GetMapping("/directory/groups/{id}/members")
	@Operation(summary = "List a group's members")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	Page<DirectoryGroups.Member> groupMembers(@PathVariable String realm, @PathVariable String id,
			@RequestParam(defaultValue = "0") int first, @RequestParam(defaultValue = "100") int max) {
		return this.groups.members(this.groups.get(realm, id).id(), first, max);
	}

	@DeleteMapping("/directory/role-rules/{id}")
	@Operation(summary = "Delete a role rule")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void removeRoleRule(@PathVariable String realm, @PathVariable UUID id,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.removeRoleRule(administrator, realm, id, request.getRemoteAddr());
	}

	@GetMapping("/users/{userId}/roles")
	@Operation(summary = "List the roles granted to a person directly")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	List<DirectoryService.ClientRole> grants(@PathVariable String realm, @PathVariable String userId) {
		return this.directory.grants(this.changes.user(realm, userId).id());
	}

	@DeleteMapping("/users/{userId}/roles/{client}/{role}")
	@Operation(summary = "Revoke a role granted directly")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeRole(@PathVariable String realm, @PathVariable String userId, @PathVariable String client,
			@PathVariable String role, @RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.revokeRole(administrator, realm, userId, client, role, request.getRemoteAddr());
	}

	@GetMapping("/users/{userId}/staff")
	@Operation(summary = "Show a person's staff record")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	DirectoryService.Staff staff(@PathVariable String realm, @PathVariable String userId) {
		return this.directory.staff(realm, this.changes.user(realm, userId).id())
			.orElseThrow(() -> new UnknownUserException(realm, userId));
	}

	@DeleteMapping("/users/{userId}/staff")
	@Operation(summary = "Delete a person's staff record")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void removeStaff(@PathVariable String realm, @PathVariable String userId,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.removeStaff(administrator, realm, userId, request.getRemoteAddr());
	}

	@GetMapping("/directory/staff")
	@Operation(summary = "List the staff records, by employee number")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	Page<DirectoryService.Staff> staffList(@PathVariable String realm, @RequestParam(defaultValue = "0") int first,
			@RequestParam(defaultValue = "100") int max) {
		return this.directory.staffList(realm, first, max);
	}

	@PutMapping("/directory/units/{code}")
	@Operation(summary = "Create or change an organisation unit")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void saveUnit(@PathVariable String realm, @PathVariable String code, @RequestBody UnitRequest unit,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.saveUnit(administrator, realm, new DirectoryService.UnitInput(code, unit.kind(), unit.nameJa(),
				unit.nameEn(), unit.parent(), instant(unit.validFrom()), instant(unit.validTo())),
				request.getRemoteAddr());
	}

	@PutMapping("/users/{userId}/staff")
	@Operation(summary = "Set a person's staff data")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void saveStaff(@PathVariable String realm, @PathVariable String userId,
			@RequestBody DirectoryService.StaffInput staff,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.saveStaff(administrator, realm, userId, staff, request.getRemoteAddr());
	}

	@PostMapping("/users/{userId}/assignments")
	@Operation(summary = "Give a person a post")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.CREATED)
	Created addAssignment(@PathVariable String realm, @PathVariable String userId,
			@RequestBody AssignmentRequest assignment,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return new Created(this.changes.addAssignment(administrator, realm, userId,
				new DirectoryService.AssignmentInput(assignment.unit(), assignment.kind(), assignment.post(),
						instant(assignment.validFrom()), instant(assignment.validTo())),
				request.getRemoteAddr()));
	}

	@PostMapping("/directory/role-rules")
	@Operation(summary = "Add a role rule (by unit, post or both)")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.CREATED)
	Created addRoleRule(@PathVariable String realm, @RequestBody DirectoryService.RoleRuleInput rule,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return new Created(this.changes.addRoleRule(administrator, realm, rule, request.getRemoteAddr()));
	}

	@PutMapping("/users/{userId}/roles/{client}/{role}")
	@Operation(summary = "Grant a person a role in a client directly")
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void grantRole(@PathVariable String realm, @PathVariable String userId, @PathVariable String client,
			@PathVariable String role, @RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.grantRole(administrator, realm, userId, client, role, request.getRemoteAddr());
	}

	private static java.time.Instant instant(OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

}
