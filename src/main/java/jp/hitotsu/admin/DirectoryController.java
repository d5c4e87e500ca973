package jp.hitotsu.admin;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.directory.DirectoryService;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The directory of a realm, one change at a time: organisation units, staff data, posts,
 * role rules and direct role grants. Times are ISO-8601 with an offset
 * ({@code 2027-04-01T00:00:00+09:00}); absent means now (from) or open-ended (to).
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}")
class DirectoryController {

	private final AdminChanges changes;

	DirectoryController(AdminChanges changes) {
		this.changes = changes;
	}

	record UnitRequest(String kind, String nameJa, String nameEn, String parent, OffsetDateTime validFrom,
			OffsetDateTime validTo) {
	}

	record AssignmentRequest(String unit, String kind, String post, OffsetDateTime validFrom,
			OffsetDateTime validTo) {
	}

	record Created(UUID id) {
	}

	@PutMapping("/directory/units/{code}")
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
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void saveStaff(@PathVariable String realm, @PathVariable String userId,
			@RequestBody DirectoryService.StaffInput staff,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.saveStaff(administrator, realm, userId, staff, request.getRemoteAddr());
	}

	@PostMapping("/users/{userId}/assignments")
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
	@AdminOperation(AdminPermission.MANAGE_DIRECTORY)
	@ResponseStatus(HttpStatus.CREATED)
	Created addRoleRule(@PathVariable String realm, @RequestBody DirectoryService.RoleRuleInput rule,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return new Created(this.changes.addRoleRule(administrator, realm, rule, request.getRemoteAddr()));
	}

	@PutMapping("/users/{userId}/roles/{client}/{role}")
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
