package jp.hitotsu.provisioning;

import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * An attribute path ({@code [schemaURN:]attribute[.subAttribute]}, RFC 7644 §3.10).
 * Attribute names compare without regard to case.
 *
 * @param schema the schema URN written before the attribute, or {@code null}
 */
record ScimPath(String schema, String attribute, String subAttribute) {

	private static final Pattern NAME = Pattern.compile("[A-Za-z$][A-Za-z0-9_$-]*");

	/**
	 * Splits a path: the schema is whatever comes before the last colon (a URN holds dots,
	 * "2.0", so sub-attributes are split off only after it).
	 * @param offset where the path starts in the text, for messages
	 */
	static ScimPath parse(String text, int offset) {
		int colon = text.lastIndexOf(':');
		String schema = (colon < 0) ? null : text.substring(0, colon);
		String rest = text.substring(colon + 1);
		int dot = rest.indexOf('.');
		String attribute = (dot < 0) ? rest : rest.substring(0, dot);
		String sub = (dot < 0) ? null : rest.substring(dot + 1);
		if (!NAME.matcher(attribute).matches() || (sub != null && !NAME.matcher(sub).matches())
				|| (schema != null && !schema.regionMatches(true, 0, "urn:", 0, 4))) {
			throw ScimException.invalidFilter("bad-attribute", text, offset + 1);
		}
		return new ScimPath(schema, attribute, sub);
	}

	/** The value of a property of an object, its name compared without regard to case. */
	static JsonNode property(JsonNode object, String name) {
		return object.properties()
			.stream()
			.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

	/** The name of a property as the object spells it, or {@code name} when it has none such. */
	static String propertyName(JsonNode object, String name) {
		return object.propertyNames().stream().filter((key) -> key.equalsIgnoreCase(name)).findFirst().orElse(name);
	}

	@Override
	public String toString() {
		return ((this.schema != null) ? this.schema + ":" : "") + this.attribute
				+ ((this.subAttribute != null) ? "." + this.subAttribute : "");
	}

}
