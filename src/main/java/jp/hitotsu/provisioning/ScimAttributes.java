package jp.hitotsu.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A partial representation of Users and Groups (RFC 7644 §3.4.2.5 and §3.9): the
 * {@code attributes} a client asks for, or the {@code excludedAttributes} it does not want,
 * applied to a User as {@link ScimUserSchema#user} writes it, or a Group as
 * {@link ScimGroups} does. {@code id} and {@code schemas} are returned always (RFC 7643
 * §3.1 {@code returned: always}); every other attribute is {@code returned: default}, so it
 * is subject to both lists.
 */
final class ScimAttributes {

	/** No parameter: the full User. */
	static final ScimAttributes ALL = new ScimAttributes(false, List.of());

	private static final Set<String> META = Set.of("resourcetype", "created", "lastmodified", "location",
			"version");

	/** Attributes and their sub-attributes, by schema, in lower case (names compare without case). */
	private static final Map<String, Map<String, Set<String>>> USER_ATTRIBUTES = Map.of(ScimUserSchema.USER,
			Map.ofEntries(Map.entry("id", Set.of()), Map.entry("schemas", Set.of()),
					Map.entry("externalid", Set.of()), Map.entry("username", Set.of()),
					Map.entry("name", Set.of("familyname", "givenname", "formatted")),
					Map.entry("displayname", Set.of()), Map.entry("emails", Set.of("value", "type", "primary")),
					Map.entry("active", Set.of()), Map.entry("groups", Set.of("value", "$ref", "display", "type")),
					Map.entry("meta", META)),
			ScimUserSchema.ENTERPRISE, Map.of("employeenumber", Set.of(), "organization", Set.of(),
					"department", Set.of(), "manager", Set.of("value", "$ref", "displayname")));

	private static final Map<String, Map<String, Set<String>>> GROUP_ATTRIBUTES = Map.of(ScimGroups.GROUP,
			Map.of("id", Set.of(), "schemas", Set.of(), "externalid", Set.of(), "displayname", Set.of(), "members",
					Set.of("value", "$ref", "display", "type"), "meta", META));

	private static final Set<String> ALWAYS = Set.of("id", "schemas");

	/**
	 * One attribute named in a list.
	 * @param schema the schema URN it belongs to
	 * @param attribute the attribute in lower case, {@code null} for the whole schema
	 * @param sub the sub-attribute in lower case, {@code null} for the whole attribute
	 */
	private record Named(String schema, String attribute, String sub) {
	}

	private final boolean include;

	private final List<Named> names;

	private ScimAttributes(boolean include, List<Named> names) {
		this.include = include;
		this.names = names;
	}

	/**
	 * The parameters of a request, each a comma-separated list of attribute paths
	 * ({@code name.familyName}, {@code urn:...:enterprise:2.0:User:employeeNumber}).
	 * RFC 7644 §3.9 makes the two mutually exclusive: both at once is a bad value.
	 */
	static ScimAttributes of(String attributes, String excludedAttributes) {
		return of(USER_ATTRIBUTES, attributes, excludedAttributes);
	}

	/** The same for Groups. */
	static ScimAttributes ofGroups(String attributes, String excludedAttributes) {
		return of(GROUP_ATTRIBUTES, attributes, excludedAttributes);
	}

	/** The same for Groups from a {@code .search} body. */
	static ScimAttributes ofGroups(JsonNode attributes, JsonNode excludedAttributes) {
		return ofGroups(joined(attributes, "attributes"), joined(excludedAttributes, "excludedAttributes"));
	}

	private static ScimAttributes of(Map<String, Map<String, Set<String>>> known, String attributes,
			String excludedAttributes) {
		boolean hasIncluded = attributes != null && !attributes.isBlank();
		boolean hasExcluded = excludedAttributes != null && !excludedAttributes.isBlank();
		if (hasIncluded && hasExcluded) {
			throw ScimException.invalidValue("attributes-and-excluded");
		}
		if (!hasIncluded && !hasExcluded) {
			return ALL;
		}
		List<Named> names = new ArrayList<>();
		for (String path : (hasIncluded ? attributes : excludedAttributes).split(",")) {
			names.add(named(known, path.strip()));
		}
		return new ScimAttributes(hasIncluded, List.copyOf(names));
	}

	/** The same from the JSON array or comma-separated string of a {@code .search} body. */
	static ScimAttributes of(JsonNode attributes, JsonNode excludedAttributes) {
		return of(joined(attributes, "attributes"), joined(excludedAttributes, "excludedAttributes"));
	}

	private static String joined(JsonNode list, String parameter) {
		if (list == null || list.isNull()) {
			return null;
		}
		if (list.isString()) {
			return list.stringValue();
		}
		List<String> paths = new ArrayList<>();
		if (list.isArray()) {
			for (JsonNode path : list) {
				if (!path.isString()) {
					throw ScimException.invalidValue("attributes-list", parameter);
				}
				paths.add(path.stringValue());
			}
			return String.join(",", paths);
		}
		throw ScimException.invalidValue("attributes-list", parameter);
	}

	private static Named named(Map<String, Map<String, Set<String>>> known, String path) {
		String core = core(known);
		for (String schema : known.keySet()) {
			if (path.equalsIgnoreCase(schema)) {
				return new Named(schema, null, null);
			}
		}
		ScimPath parsed;
		try {
			parsed = ScimPath.parse(path, 0);
		}
		catch (ScimException ex) {
			throw ScimException.invalidValue("unknown-returned-attribute", path);
		}
		String schema = (parsed.schema() == null) ? core
				: known.keySet().stream().filter(parsed.schema()::equalsIgnoreCase).findFirst().orElse(null);
		String attribute = parsed.attribute().toLowerCase(Locale.ROOT);
		String sub = (parsed.subAttribute() != null) ? parsed.subAttribute().toLowerCase(Locale.ROOT) : null;
		Set<String> subs = (schema != null) ? known.get(schema).get(attribute) : null;
		if (subs == null || (sub != null && !subs.contains(sub))) {
			throw ScimException.invalidValue("unknown-returned-attribute", path);
		}
		return new Named(schema, attribute, sub);
	}

	/** The core schema of a resource type's attributes: the one that is no extension. */
	private static String core(Map<String, Map<String, Set<String>>> known) {
		return known.containsKey(ScimGroups.GROUP) ? ScimGroups.GROUP : ScimUserSchema.USER;
	}

	/**
	 * Whether the representation keeps a top-level attribute of the core schema, so that
	 * what it is not asked for is never read (a group's members).
	 */
	boolean shows(String attribute) {
		return (this == ALL) || (this.include ? this.names.stream()
			.anyMatch((named) -> named.attribute() == null || named.attribute().equals(attribute))
				: !wholly(ScimGroups.GROUP, attribute) && !wholly(ScimUserSchema.USER, attribute));
	}

	/** The resource as the client asked for it; the full one is not changed. */
	ObjectNode apply(ObjectNode resource) {
		if (this == ALL) {
			return resource;
		}
		ObjectNode result = resource.deepCopy();
		String core = resource.get("schemas").get(0).stringValue();
		for (String name : List.copyOf(result.propertyNames())) {
			if (name.equals(ScimUserSchema.ENTERPRISE)) {
				project(result, name, ScimUserSchema.ENTERPRISE, (ObjectNode) result.get(name));
			}
			else if (!ALWAYS.contains(name.toLowerCase(Locale.ROOT))) {
				project(result, name, core, result.get(name));
			}
		}
		if (core.equals(ScimUserSchema.USER) && !result.has(ScimUserSchema.ENTERPRISE)) {
			// the schemas the representation holds (RFC 7643 §3): the extension's went with it
			ArrayNode schemas = result.putArray("schemas").add(ScimUserSchema.USER);
			resource.get("schemas").forEach((schema) -> {
				if (!schema.stringValue().equals(ScimUserSchema.USER)
						&& !schema.stringValue().equals(ScimUserSchema.ENTERPRISE)) {
					schemas.add(schema);
				}
			});
		}
		return result;
	}

	/**
	 * Keeps, trims or removes one property of {@code parent}: the enterprise extension's
	 * object is treated as a complex attribute whose sub-attributes are the extension's
	 * attributes.
	 */
	private void project(ObjectNode parent, String name, String schema, JsonNode value) {
		boolean extension = name.equals(ScimUserSchema.ENTERPRISE);
		String attribute = extension ? null : name.toLowerCase(Locale.ROOT);
		if (wholly(schema, attribute)) {
			if (!this.include) {
				parent.remove(name);
			}
			return;
		}
		List<String> subs = this.names.stream()
			.filter((named) -> named.schema().equals(schema) && named.attribute() != null)
			.filter((named) -> extension || (attribute.equals(named.attribute()) && named.sub() != null))
			.map((named) -> extension ? named.attribute() : named.sub())
			.toList();
		if (this.include && subs.isEmpty()) {
			parent.remove(name);
			return;
		}
		if (value.isObject()) {
			trim((ObjectNode) value, subs);
		}
		else if (value.isArray()) {
			for (JsonNode element : value) {
				if (element.isObject()) {
					trim((ObjectNode) element, subs);
				}
			}
		}
		if (value.isEmpty() && (value.isObject() || value.isArray())) {
			parent.remove(name);
		}
	}

	/** Whether the list names the attribute itself (or its whole schema). */
	private boolean wholly(String schema, String attribute) {
		return this.names.stream()
			.anyMatch((named) -> named.schema().equals(schema)
					&& (named.attribute() == null || (attribute != null && named.attribute().equals(attribute)
							&& named.sub() == null)));
	}

	private void trim(ObjectNode object, List<String> subs) {
		for (String key : List.copyOf(object.propertyNames())) {
			boolean named = subs.contains(key.toLowerCase(Locale.ROOT));
			if (named != this.include) {
				object.remove(key);
			}
		}
	}

}
