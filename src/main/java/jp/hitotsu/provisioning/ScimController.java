package jp.hitotsu.provisioning;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.account.AccountProvisioning;
import jp.hitotsu.account.AccountVersions;
import jp.hitotsu.admin.ProvisioningAccess;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

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
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * SCIM 2.0 (RFC 7644) for one realm at {@code /scim/v2/realms/{realm}}: discovery, Users
 * (list with filter, sort and pages; read; create; replace; patch; delete) and Bulk; Groups
 * are {@link ScimGroupController}'s.
 * Bodies are read and written here as JSON trees so that every malformed one gets a SCIM
 * error, never a converter's.
 */
@RestController
@RequestMapping("/scim/v2/realms/{realm}")
class ScimController {

	private final ScimUsers users;

	private final ScimBulk bulk;

	ScimController(ScimUsers users, ScimBulk bulk) {
		this.users = users;
		this.bulk = bulk;
	}

	@GetMapping("/ServiceProviderConfig")
	ResponseEntity<String> serviceProviderConfig(@PathVariable String realm) {
		return ok(ScimDiscovery.serviceProviderConfig(base(realm)));
	}

	@GetMapping("/ResourceTypes")
	ResponseEntity<String> resourceTypes(@PathVariable String realm) {
		return ok(ScimDiscovery.list(2, 1, List.of(ScimDiscovery.userResourceType(base(realm)),
				ScimDiscovery.groupResourceType(base(realm)))));
	}

	@GetMapping("/ResourceTypes/User")
	ResponseEntity<String> userResourceType(@PathVariable String realm) {
		return ok(ScimDiscovery.userResourceType(base(realm)));
	}

	@GetMapping("/ResourceTypes/Group")
	ResponseEntity<String> groupResourceType(@PathVariable String realm) {
		return ok(ScimDiscovery.groupResourceType(base(realm)));
	}

	@GetMapping("/Schemas")
	ResponseEntity<String> schemas(@PathVariable String realm) {
		return ok(ScimDiscovery.list(3, 1, List.of(ScimDiscovery.userSchema(base(realm)),
				ScimDiscovery.enterpriseSchema(base(realm)), ScimDiscovery.groupSchema(base(realm)))));
	}

	@GetMapping("/Schemas/{id}")
	ResponseEntity<String> schema(@PathVariable String realm, @PathVariable String id) {
		if (id.equalsIgnoreCase(ScimUserSchema.USER)) {
			return ok(ScimDiscovery.userSchema(base(realm)));
		}
		if (id.equalsIgnoreCase(ScimUserSchema.ENTERPRISE)) {
			return ok(ScimDiscovery.enterpriseSchema(base(realm)));
		}
		if (id.equalsIgnoreCase(ScimGroups.GROUP)) {
			return ok(ScimDiscovery.groupSchema(base(realm)));
		}
		throw new ScimException(HttpStatus.NOT_FOUND, null, "unknown-schema", id);
	}

	@GetMapping("/Users")
	ResponseEntity<String> list(@PathVariable String realm, @RequestParam(required = false) String filter,
			@RequestParam(required = false) String sortBy, @RequestParam(required = false) String sortOrder,
			@RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) {
		ScimAttributes returned = ScimAttributes.of(attributes, excludedAttributes);
		ScimUsers.Page page = this.users.list(realm, filter, sortBy, sortOrder, startIndex, count, base(realm));
		return ok(listResponse(page, returned));
	}

	/** The same query with its parameters in a body (RFC 7644 §3.4.3), for filters too long for a URL. */
	@PostMapping("/Users/.search")
	ResponseEntity<String> search(@PathVariable String realm, @RequestBody(required = false) String body) {
		JsonNode query = parse(body);
		ScimAttributes returned = ScimAttributes.of(ScimPath.property(query, "attributes"),
				ScimPath.property(query, "excludedAttributes"));
		ScimUsers.Page page = this.users.list(realm, text(query, "filter"), text(query, "sortBy"),
				text(query, "sortOrder"), number(query, "startIndex"), number(query, "count"), base(realm));
		return ok(listResponse(page, returned));
	}

	@GetMapping("/Users/{id}")
	ResponseEntity<String> get(@PathVariable String realm, @PathVariable String id,
			@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) {
		ScimAttributes returned = ScimAttributes.of(attributes, excludedAttributes);
		return read(this.users.get(realm, id, base(realm)), ifNoneMatch, returned);
	}

	/** A read of one resource: 304 when the caller holds its current version (RFC 7232). */
	static ResponseEntity<String> read(ObjectNode resource, String ifNoneMatch, ScimAttributes returned) {
		String etag = resource.get("meta").get("version").stringValue();
		if (ifNoneMatch != null && ifNoneMatch.strip().equals(etag)) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
		}
		return resource(HttpStatus.OK, resource, returned);
	}

	@PostMapping("/Users")
	ResponseEntity<String> create(@PathVariable String realm, @RequestBody(required = false) String body,
			@RequestAttribute(ScimAuthorization.PROVISIONER) ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		ScimAttributes returned = returned(request);
		ObjectNode user = this.users.create(realm, parse(body), change(provisioner, request), base(realm));
		return resource(HttpStatus.CREATED, user, returned);
	}

	@PutMapping("/Users/{id}")
	ResponseEntity<String> replace(@PathVariable String realm, @PathVariable String id,
			@RequestBody(required = false) String body,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestAttribute(ScimAuthorization.PROVISIONER) ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		ScimAttributes returned = returned(request);
		return resource(HttpStatus.OK, this.users.replace(realm, id, parse(body), AccountVersions.expected(ifMatch),
				change(provisioner, request), base(realm)), returned);
	}

	@PatchMapping("/Users/{id}")
	ResponseEntity<String> patch(@PathVariable String realm, @PathVariable String id,
			@RequestBody(required = false) String body,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestAttribute(ScimAuthorization.PROVISIONER) ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		ScimAttributes returned = returned(request);
		return resource(HttpStatus.OK, this.users.patch(realm, id, parse(body), AccountVersions.expected(ifMatch),
				change(provisioner, request), base(realm)), returned);
	}

	@DeleteMapping("/Users/{id}")
	ResponseEntity<Void> delete(@PathVariable String realm, @PathVariable String id,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestAttribute(ScimAuthorization.PROVISIONER) ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		this.users.delete(realm, id, AccountVersions.expected(ifMatch), change(provisioner, request));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/Bulk")
	ResponseEntity<String> bulk(@PathVariable String realm, @RequestBody(required = false) String body,
			@RequestAttribute(ScimAuthorization.PROVISIONER) ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		if (body != null && body.getBytes(StandardCharsets.UTF_8).length > ScimDiscovery.MAX_PAYLOAD_SIZE) {
			throw new ScimException(HttpStatus.PAYLOAD_TOO_LARGE, null, "bulk-too-large",
					ScimDiscovery.MAX_PAYLOAD_SIZE);
		}
		return ok(this.bulk.run(realm, parse(body), change(provisioner, request), base(realm), request));
	}

	static AccountProvisioning.Change change(ProvisioningAccess.Provisioner provisioner,
			HttpServletRequest request) {
		return new AccountProvisioning.Change(provisioner.subject(), provisioner.clientId(), request.getRemoteAddr(),
				"scim");
	}

	/**
	 * The partial representation asked for in the query of a write (RFC 7644 §3.9: any
	 * operation that returns a resource), checked before anything is written.
	 */
	static ScimAttributes returned(HttpServletRequest request) {
		return ScimAttributes.of(request.getParameter("attributes"), request.getParameter("excludedAttributes"));
	}

	static JsonNode parse(String body) {
		if (body == null || body.isBlank()) {
			throw ScimException.invalidSyntax("no-body");
		}
		try {
			return ScimUserSchema.JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw ScimException.invalidSyntax("bad-json", ex.getOriginalMessage());
		}
	}

	static String text(JsonNode query, String name) {
		JsonNode value = ScimPath.property(query, name);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	static Integer number(JsonNode query, String name) {
		JsonNode value = ScimPath.property(query, name);
		return (value != null && value.isInt()) ? value.intValue() : null;
	}

	static String base(String realm) {
		return ServletUriComponentsBuilder.fromCurrentContextPath()
			.path("/scim/v2/realms/{realm}")
			.buildAndExpand(realm)
			.toUriString();
	}

	static ObjectNode listResponse(ScimUsers.Page page, ScimAttributes returned) {
		return ScimDiscovery.list(page.total(), page.startIndex(), page.resources().stream().map(returned::apply).toList());
	}

	static ResponseEntity<String> ok(ObjectNode body) {
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_TYPE, ScimErrors.MEDIA_TYPE)
			.body(ScimUserSchema.JSON.writeValueAsString(body));
	}

	/** A User answer: its ETag and location are the full resource's, whatever part of it is shown. */
	static ResponseEntity<String> resource(HttpStatus status, ObjectNode user, ScimAttributes returned) {
		JsonNode meta = user.get("meta");
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
			.header(HttpHeaders.CONTENT_TYPE, ScimErrors.MEDIA_TYPE)
			.eTag(meta.get("version").stringValue());
		if (status == HttpStatus.CREATED) {
			response.location(java.net.URI.create(meta.get("location").stringValue()));
		}
		return response.body(ScimUserSchema.JSON.writeValueAsString(returned.apply(user)));
	}

}
