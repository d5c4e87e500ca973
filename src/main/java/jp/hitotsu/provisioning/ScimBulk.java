package jp.hitotsu.provisioning;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.account.AccountProvisioning;
import jp.hitotsu.account.AccountVersions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * SCIM Bulk (RFC 7644 §3.7) on Users and Groups: the operations run in order, each in its own transaction (a
 * failed one leaves the others), until {@code failOnErrors} have failed. A
 * {@code bulkId:ID} in a path or a value stands for the id of the resource an earlier
 * operation of the same request created.
 */
@Component
class ScimBulk {

	static final String REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

	static final String RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

	private static final Pattern PATH = Pattern.compile("/(Users|Groups)(?:/([^/]+))?");

	private static final String BULK_ID = "bulkId:";

	private final ScimUsers users;

	private final ScimGroups groups;

	private final ScimErrors errors;

	ScimBulk(ScimUsers users, ScimGroups groups, ScimErrors errors) {
		this.users = users;
		this.groups = groups;
		this.errors = errors;
	}

	ObjectNode run(String realm, JsonNode request, AccountProvisioning.Change change, String base,
			HttpServletRequest httpRequest) {
		JsonNode operations = request.isObject() ? ScimPath.property(request, "Operations") : null;
		if (operations == null || !operations.isArray()) {
			throw ScimException.invalidSyntax("bulk-no-operations");
		}
		if (operations.size() > ScimDiscovery.MAX_OPERATIONS) {
			throw new ScimException(HttpStatus.PAYLOAD_TOO_LARGE, null, "bulk-too-many", ScimDiscovery.MAX_OPERATIONS);
		}
		JsonNode failOnErrorsNode = ScimPath.property(request, "failOnErrors");
		int failOnErrors = (failOnErrorsNode != null && failOnErrorsNode.isInt() && failOnErrorsNode.intValue() > 0)
				? failOnErrorsNode.intValue() : Integer.MAX_VALUE;
		Map<String, String> created = new HashMap<>();
		ObjectNode response = ScimUserSchema.NODES.objectNode();
		response.putArray("schemas").add(RESPONSE);
		ArrayNode results = response.putArray("Operations");
		int failures = 0;
		for (JsonNode operation : operations) {
			if (failures >= failOnErrors) {
				break;
			}
			ObjectNode result = results.addObject();
			String method = text(operation, "method").toUpperCase(Locale.ROOT);
			String bulkId = text(operation, "bulkId");
			result.put("method", method);
			if (!bulkId.isEmpty()) {
				result.put("bulkId", bulkId);
			}
			try {
				run(realm, operation, method, bulkId, created, change, base, result);
			}
			catch (RuntimeException ex) {
				ScimErrors.Error error = this.errors.of(ex, httpRequest);
				if (error == null) {
					throw ex;
				}
				failures++;
				result.put("status", String.valueOf(error.status().value()));
				result.set("response", error.body());
			}
		}
		return response;
	}

	private void run(String realm, JsonNode operation, String method, String bulkId, Map<String, String> created,
			AccountProvisioning.Change change, String base, ObjectNode result) {
		Matcher path = PATH.matcher(text(operation, "path"));
		if (!path.matches()) {
			throw ScimException.invalidPath("bulk-path", text(operation, "path"));
		}
		boolean group = path.group(1).equals("Groups");
		String id = (path.group(2) != null) ? resolve(path.group(2), created) : null;
		JsonNode data = resolveAll(ScimPath.property(operation, "data"), created);
		Long version = AccountVersions.expected(emptyToNull(text(operation, "version")));
		if ("POST".equals(method) && id == null) {
			if (bulkId.isEmpty()) {
				throw ScimException.invalidValue("bulk-id-required");
			}
			ObjectNode resource = group ? this.groups.create(realm, required(data), change, base)
					: this.users.create(realm, required(data), change, base);
			created.put(bulkId, resource.get("id").stringValue());
			succeeded(result, HttpStatus.CREATED, resource);
			return;
		}
		if (id == null) {
			throw ScimException.invalidPath("bulk-path", text(operation, "path"));
		}
		if (group) {
			runOnGroup(realm, method, id, data, version, change, base, result);
			return;
		}
		switch (method) {
			case "PUT" -> succeeded(result, HttpStatus.OK, this.users.replace(realm, id, required(data), version,
					change, base));
			case "PATCH" -> succeeded(result, HttpStatus.OK, this.users.patch(realm, id, required(data), version,
					change, base));
			case "DELETE" -> {
				this.users.delete(realm, id, version, change);
				result.put("location", base + "/Users/" + id);
				result.put("status", "204");
			}
			default -> throw ScimException.invalidValue("bulk-method", method);
		}
	}

	private void runOnGroup(String realm, String method, String id, JsonNode data, Long version,
			AccountProvisioning.Change change, String base, ObjectNode result) {
		switch (method) {
			case "PUT" -> succeeded(result, HttpStatus.OK, this.groups.replace(realm, id, required(data), version,
					change, base));
			case "PATCH" -> {
				long now = this.groups.patch(realm, id, required(data), version, change).version();
				succeeded(result, HttpStatus.NO_CONTENT, base + "/Groups/" + id, AccountVersions.etag(now));
			}
			case "DELETE" -> {
				this.groups.delete(realm, id, version, change);
				result.put("location", base + "/Groups/" + id);
				result.put("status", "204");
			}
			default -> throw ScimException.invalidValue("bulk-method", method);
		}
	}

	private static void succeeded(ObjectNode result, HttpStatus status, ObjectNode resource) {
		JsonNode meta = resource.get("meta");
		succeeded(result, status, meta.get("location").stringValue(), meta.get("version").stringValue());
	}

	private static void succeeded(ObjectNode result, HttpStatus status, String location, String version) {
		result.put("location", location);
		result.put("version", version);
		result.put("status", String.valueOf(status.value()));
	}

	private static JsonNode required(JsonNode data) {
		if (data == null || !data.isObject()) {
			throw ScimException.invalidSyntax("bulk-data");
		}
		return data;
	}

	/** Replaces every {@code bulkId:ID} string in a value by the id created for it. */
	private static JsonNode resolveAll(JsonNode value, Map<String, String> created) {
		if (value == null) {
			return null;
		}
		if (value.isString()) {
			return ScimUserSchema.NODES.stringNode(resolve(value.stringValue(), created));
		}
		if (value.isObject()) {
			ObjectNode copy = ScimUserSchema.NODES.objectNode();
			value.properties().forEach((entry) -> copy.set(entry.getKey(), resolveAll(entry.getValue(), created)));
			return copy;
		}
		if (value.isArray()) {
			ArrayNode copy = ScimUserSchema.NODES.arrayNode();
			value.forEach((element) -> copy.add(resolveAll(element, created)));
			return copy;
		}
		return value;
	}

	private static String resolve(String text, Map<String, String> created) {
		if (!text.startsWith(BULK_ID)) {
			return text;
		}
		String id = created.get(text.substring(BULK_ID.length()));
		if (id == null) {
			throw ScimException.invalidValue("bulk-id-unknown", text.substring(BULK_ID.length()));
		}
		return id;
	}

	private static String text(JsonNode operation, String name) {
		JsonNode value = operation.isObject() ? ScimPath.property(operation, name) : null;
		return (value != null && value.isString()) ? value.stringValue() : "";
	}

	private static String emptyToNull(String text) {
		return text.isEmpty() ? null : text;
	}

}
