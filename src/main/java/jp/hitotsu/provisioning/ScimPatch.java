package jp.hitotsu.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a SCIM PATCH request (RFC 7644 §3.5.2) to a User's JSON: operations {@code add},
 * {@code replace}, {@code remove}, with or without a path; paths
 * {@code attr}, {@code attr.sub}, {@code attr[filter]}, {@code attr[filter].sub}, each
 * optionally with its schema URN, or the URN of the enterprise extension alone. The result
 * is read back like a PUT body, so a PATCH can set nothing a PUT could not.
 */
final class ScimPatch {

	static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

	/** Attributes no request may change: the server's own, and the directory's. */
	private static final Set<String> READ_ONLY = Set.of("id", "meta", "schemas", "groups", "organization",
			"department");

	private ScimPatch() {
	}

	/** A path of a PATCH operation. */
	record Target(ScimPath attribute, ScimFilter filter, String subAttribute, boolean wholeExtension) {
	}

	static ObjectNode apply(ObjectNode user, JsonNode request) {
		ObjectNode result = user.deepCopy();
		operations(request, (kind, path, value) -> apply(result, kind,
				path.equalsIgnoreCase(ScimUserSchema.ENTERPRISE) ? new Target(null, null, null, true) : target(path),
				value));
		return result;
	}

	/** One change of a PATCH: an operation with a path, or one attribute of a value without one. */
	interface Operation {

		/** @param value {@code null} only for a {@code remove} */
		void apply(String kind, String path, JsonNode value);

	}

	/**
	 * Checks a PATCH request and hands each of its changes over in order: an operation
	 * without a path (add, replace) as one change per attribute of its value.
	 */
	static void operations(JsonNode request, Operation each) {
		if (!request.isObject()) {
			throw ScimException.invalidSyntax("not-an-object");
		}
		JsonNode operations = ScimPath.property(request, "Operations");
		if (operations == null || !operations.isArray() || operations.isEmpty()) {
			throw ScimException.invalidSyntax("patch-no-operations");
		}
		int index = 0;
		for (JsonNode operation : operations) {
			index++;
			JsonNode kindNode = operation.isObject() ? ScimPath.property(operation, "op") : null;
			String kind = (kindNode != null && kindNode.isString()) ? kindNode.stringValue().toLowerCase(Locale.ROOT)
					: "";
			if (!Set.of("add", "replace", "remove").contains(kind)) {
				throw ScimException.invalidSyntax("patch-op", index);
			}
			JsonNode pathNode = ScimPath.property(operation, "path");
			JsonNode value = ScimPath.property(operation, "value");
			if (pathNode == null || pathNode.isNull()) {
				if ("remove".equals(kind)) {
					throw new ScimException(HttpStatus.BAD_REQUEST, "noTarget", "patch-remove-no-path", index);
				}
				if (value == null || !value.isObject()) {
					throw ScimException.invalidValue("patch-value-object", index);
				}
				for (var entry : value.properties()) {
					each.apply(kind, entry.getKey(), entry.getValue());
				}
				continue;
			}
			if (!pathNode.isString()) {
				throw ScimException.invalidPath("bad-path", pathNode.toString());
			}
			if (!"remove".equals(kind) && (value == null || value.isNull())) {
				throw ScimException.invalidValue("patch-value-missing", index);
			}
			each.apply(kind, pathNode.stringValue(), (value == null || value.isNull()) ? null : value);
		}
	}

	static Target target(String path) {
		try {
			int open = path.indexOf('[');
			if (open < 0) {
				ScimPath attribute = ScimPath.parse(path, 0);
				return new Target(attribute, null, attribute.subAttribute(), false);
			}
			int close = path.lastIndexOf(']');
			ScimPath attribute = ScimPath.parse(path.substring(0, open), 0);
			String rest = (close > open) ? path.substring(close + 1) : null;
			if (rest == null || attribute.subAttribute() != null || !(rest.isEmpty() || rest.startsWith("."))) {
				throw ScimException.invalidPath("bad-path", path);
			}
			ScimFilter filter = ScimFilter.parse(path.substring(open + 1, close));
			String sub = null;
			if (!rest.isEmpty()) {
				ScimPath subPath = ScimPath.parse(rest.substring(1), close + 1);
				if (subPath.schema() != null || subPath.subAttribute() != null) {
					throw ScimException.invalidPath("bad-path", path);
				}
				sub = subPath.attribute();
			}
			return new Target(attribute, filter, sub, false);
		}
		catch (ScimException ex) {
			throw ScimException.invalidPath("bad-path", path);
		}
	}

	private static void apply(ObjectNode user, String kind, Target target, JsonNode value) {
		ObjectNode container = user;
		if (target.wholeExtension()) {
			apply(user, kind, ScimUserSchema.ENTERPRISE, value);
			return;
		}
		ScimPath attribute = target.attribute();
		String name = attribute.attribute();
		if (READ_ONLY.contains(name.toLowerCase(Locale.ROOT))) {
			throw new ScimException(HttpStatus.BAD_REQUEST, "mutability", "read-only", attribute.toString());
		}
		if (attribute.schema() != null) {
			if (attribute.schema().equalsIgnoreCase(ScimUserSchema.ENTERPRISE)) {
				JsonNode extension = ScimPath.property(user, ScimUserSchema.ENTERPRISE);
				if (extension == null || !extension.isObject()) {
					if ("remove".equals(kind)) {
						return;
					}
					extension = user.putObject(ScimUserSchema.ENTERPRISE);
				}
				container = (ObjectNode) extension;
			}
			else if (!attribute.schema().equalsIgnoreCase(ScimUserSchema.USER)) {
				throw ScimException.invalidPath("bad-path", attribute.toString());
			}
		}
		if (target.filter() == null && target.subAttribute() == null) {
			apply(container, kind, name, value);
			return;
		}
		String key = ScimPath.propertyName(container, name);
		JsonNode current = container.get(key);
		if (target.filter() == null) {
			// attr.sub: on every value of a multi-valued attribute, else on the complex one
			if (current != null && current.isArray()) {
				for (JsonNode element : current) {
					if (element.isObject()) {
						apply((ObjectNode) element, kind, target.subAttribute(), value);
					}
				}
				return;
			}
			if (current == null || !current.isObject()) {
				if ("remove".equals(kind)) {
					return;
				}
				current = container.putObject(key);
			}
			apply((ObjectNode) current, kind, target.subAttribute(), value);
			return;
		}
		if (current == null || !current.isArray()) {
			throw new ScimException(HttpStatus.BAD_REQUEST, "noTarget", "no-target", attribute.toString());
		}
		ArrayNode values = (ArrayNode) current;
		List<Integer> matched = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			if (ScimFilter.matches(target.filter(), values.get(i))) {
				matched.add(i);
			}
		}
		if (matched.isEmpty()) {
			throw new ScimException(HttpStatus.BAD_REQUEST, "noTarget", "no-target", attribute.toString());
		}
		for (int i = matched.size() - 1; i >= 0; i--) {
			int at = matched.get(i);
			if (target.subAttribute() != null) {
				apply((ObjectNode) values.get(at), kind, target.subAttribute(), value);
			}
			else if ("remove".equals(kind)) {
				values.remove(at);
			}
			else if ("replace".equals(kind)) {
				values.set(at, value);
			}
			else if (value.isObject()) {
				((ObjectNode) values.get(at)).setAll((ObjectNode) value);
			}
			else {
				throw ScimException.invalidValue("patch-value-object", attribute.toString());
			}
		}
	}

	/** One attribute of an object: removed, or set (complex values merged, as "add" and "replace" both do). */
	private static void apply(ObjectNode container, String kind, String name, JsonNode value) {
		String key = ScimPath.propertyName(container, name);
		if ("remove".equals(kind)) {
			container.remove(key);
			return;
		}
		JsonNode current = container.get(key);
		if (current != null && current.isObject() && value.isObject()) {
			((ObjectNode) current).setAll((ObjectNode) value);
		}
		else {
			// multi-valued too: an account keeps one e-mail address, so adding one replaces it
			container.set(key, value);
		}
	}

}
