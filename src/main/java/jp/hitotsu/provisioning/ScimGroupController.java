package jp.hitotsu.provisioning;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.account.AccountVersions;
import jp.hitotsu.admin.ProvisioningAccess;
import jp.hitotsu.directory.DirectoryGroups;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * SCIM Groups (RFC 7643 §4.2, RFC 7644 §3) of one realm, beside {@link ScimController}'s
 * Users: the same authorization, errors, ETags and partial representations. Members are
 * read only when the answer shows them, and a PATCH answers 204 (RFC 7644 §3.5.2) unless
 * {@code attributes}/{@code excludedAttributes} ask for the group, so that changing one
 * member of a large group reads none of the others.
 */
@RestController
@RequestMapping("/scim/v2/realms/{realm}/Groups")
class ScimGroupController {

	private final ScimGroups groups;

	ScimGroupController(ScimGroups groups) {
		this.groups = groups;
	}

	@GetMapping
	ResponseEntity<String> list(@PathVariable String realm, @RequestParam(required = false) String filter,
			@RequestParam(required = false) String sortBy, @RequestParam(required = false) String sortOrder,
			@RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) {
		ScimAttributes returned = ScimAttributes.ofGroups(attributes, excludedAttributes);
		return ScimController.ok(ScimController.listResponse(this.groups.list(realm, filter, sortBy, sortOrder,
				startIndex, count, ScimController.base(realm), returned.shows("members")), returned));
	}

	@PostMapping("/.search")
	ResponseEntity<String> search(@PathVariable String realm, @RequestBody(required = false) String body) {
		JsonNode query = ScimController.parse(body);
		ScimAttributes returned = ScimAttributes.ofGroups(ScimPath.property(query, "attributes"),
				ScimPath.property(query, "excludedAttributes"));
		return ScimController.ok(ScimController.listResponse(this.groups.list(realm,
				ScimController.text(query, "filter"), ScimController.text(query, "sortBy"),
				ScimController.text(query, "sortOrder"), ScimController.number(query, "startIndex"),
				ScimController.number(query, "count"), ScimController.base(realm), returned.shows("members")),
				returned));
	}

	@GetMapping("/{id}")
	ResponseEntity<String> get(@PathVariable String realm, @PathVariable String id,
			@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) {
		ScimAttributes returned = ScimAttributes.ofGroups(attributes, excludedAttributes);
		return ScimController.read(this.groups.get(realm, id, ScimController.base(realm), returned.shows("members")),
				ifNoneMatch, returned);
	}

	@PostMapping
	ResponseEntity<String> create(@PathVariable String realm, @RequestBody(required = false) String body,
			@RequestAttribute(ScimAuthorization.PROVISIONER) ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		ScimAttributes returned = returned(request);
		return ScimController.resource(HttpStatus.CREATED, this.groups.create(realm, ScimController.parse(body),
				ScimController.change(provisioner, request), ScimController.base(realm)), returned);
	}

	@PutMapping("/{id}")
	ResponseEntity<String> replace(@PathVariable String realm, @PathVariable String id,
			@RequestBody(required = false) String body,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestAttribute(ScimAuthorization.PROVISIONER) ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		ScimAttributes returned = returned(request);
		return ScimController.resource(HttpStatus.OK, this.groups.replace(realm, id, ScimController.parse(body),
				AccountVersions.expected(ifMatch), ScimController.change(provisioner, request),
				ScimController.base(realm)), returned);
	}

	@PatchMapping("/{id}")
	ResponseEntity<String> patch(@PathVariable String realm, @PathVariable String id,
			@RequestBody(required = false) String body,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestAttribute(ScimAuthorization.PROVISIONER) ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		boolean asked = request.getParameter("attributes") != null
				|| request.getParameter("excludedAttributes") != null;
		ScimAttributes returned = returned(request);
		DirectoryGroups.Group group = this.groups.patch(realm, id, ScimController.parse(body),
				AccountVersions.expected(ifMatch), ScimController.change(provisioner, request));
		if (!asked) {
			return ResponseEntity.noContent().eTag(AccountVersions.etag(group.version())).build();
		}
		return ScimController.resource(HttpStatus.OK,
				this.groups.get(realm, id, ScimController.base(realm), returned.shows("members")), returned);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String realm, @PathVariable String id,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestAttribute(ScimAuthorization.PROVISIONER) ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		this.groups.delete(realm, id, AccountVersions.expected(ifMatch), ScimController.change(provisioner, request));
		return ResponseEntity.noContent().build();
	}

	private static ScimAttributes returned(HttpServletRequest request) {
		return ScimAttributes.ofGroups(request.getParameter("attributes"), request.getParameter("excludedAttributes"));
	}

}
