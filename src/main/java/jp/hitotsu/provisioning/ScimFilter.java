package jp.hitotsu.provisioning;

import java.util.Locale;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A SCIM filter (RFC 7644 §3.4.2.2) as a tree, parsed by {@link #parse}. The same tree
 * becomes SQL for searches ({@link ScimUserSchema#condition}) and is evaluated in memory
 * on the values of a multi-valued attribute for PATCH paths ({@link #matches}).
 */
sealed interface ScimFilter {

	/** Longest filter accepted, and deepest nesting of parentheses, brackets and "not". */
	int MAX_LENGTH = 4096;

	int MAX_DEPTH = 32;

	/** {@code attrPath op value}; {@code operator} in lower case, {@code value} a JSON literal. */
	record Compare(ScimPath path, String operator, JsonNode value) implements ScimFilter {
	}

	record Present(ScimPath path) implements ScimFilter {
	}

	record And(ScimFilter left, ScimFilter right) implements ScimFilter {
	}

	record Or(ScimFilter left, ScimFilter right) implements ScimFilter {
	}

	record Not(ScimFilter filter) implements ScimFilter {
	}

	/** {@code attrPath[filter]}: some value of a multi-valued attribute matches the filter. */
	record ValuePath(ScimPath path, ScimFilter filter) implements ScimFilter {
	}

	static ScimFilter parse(String text) {
		if (text.length() > MAX_LENGTH) {
			throw ScimException.invalidFilter("filter-too-long", MAX_LENGTH);
		}
		Parser parser = new Parser(text);
		ScimFilter filter = parser.filter(0);
		parser.skipSpaces();
		if (!parser.atEnd()) {
			throw parser.error();
		}
		return filter;
	}

	/**
	 * Whether one value of a multi-valued complex attribute (a JSON object such as
	 * {@code {"value": "a@x", "type": "work"}}) matches a filter on its sub-attributes.
	 * Strings compare without regard to case (no sub-attribute of a User's multi-valued
	 * attributes is case-exact).
	 */
	static boolean matches(ScimFilter filter, JsonNode value) {
		if (filter instanceof And and) {
			return matches(and.left(), value) && matches(and.right(), value);
		}
		if (filter instanceof Or or) {
			return matches(or.left(), value) || matches(or.right(), value);
		}
		if (filter instanceof Not not) {
			return !matches(not.filter(), value);
		}
		if (filter instanceof Present present) {
			JsonNode found = ScimPath.property(value, present.path().attribute());
			return found != null && !found.isNull() && !(found.isString() && found.stringValue().isEmpty());
		}
		if (filter instanceof Compare compare) {
			return compare(ScimPath.property(value, compare.path().attribute()), compare.operator(), compare.value());
		}
		throw ScimException.invalidFilter("nested-value-path");
	}

	private static boolean compare(JsonNode actual, String operator, JsonNode expected) {
		if (actual == null || actual.isNull()) {
			return "ne".equals(operator) && !expected.isNull();
		}
		if (actual.isBoolean() || expected.isBoolean()) {
			boolean equal = actual.isBoolean() && expected.isBoolean() && actual.booleanValue() == expected.booleanValue();
			return switch (operator) {
				case "eq" -> equal;
				case "ne" -> !equal;
				default -> throw ScimException.invalidFilter("operator-not-for-boolean", operator);
			};
		}
		String left = actual.asString().toLowerCase(Locale.ROOT);
		String right = expected.asString().toLowerCase(Locale.ROOT);
		return switch (operator) {
			case "eq" -> left.equals(right);
			case "ne" -> !left.equals(right);
			case "co" -> left.contains(right);
			case "sw" -> left.startsWith(right);
			case "ew" -> left.endsWith(right);
			case "gt" -> left.compareTo(right) > 0;
			case "ge" -> left.compareTo(right) >= 0;
			case "lt" -> left.compareTo(right) < 0;
			default -> left.compareTo(right) <= 0;
		};
	}

	/** Recursive descent over the grammar of RFC 7644 §3.4.2.2; "and" binds tighter than "or". */
	final class Parser {

		private static final Pattern OPERATOR = Pattern.compile("eq|ne|co|sw|ew|gt|ge|lt|le");

		private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

		private static final JsonMapper JSON = JsonMapper.builder().build();

		private final String text;

		private int position;

		Parser(String text) {
			this.text = text;
		}

		ScimFilter filter(int depth) {
			if (depth > MAX_DEPTH) {
				throw ScimException.invalidFilter("filter-too-deep", MAX_DEPTH);
			}
			ScimFilter left = conjunction(depth);
			while (keyword("or")) {
				left = new Or(left, conjunction(depth));
			}
			return left;
		}

		private ScimFilter conjunction(int depth) {
			ScimFilter left = unary(depth);
			while (keyword("and")) {
				left = new And(left, unary(depth));
			}
			return left;
		}

		private ScimFilter unary(int depth) {
			skipSpaces();
			if (keywordBefore("not", '(')) {
				skipSpaces();
				expect('(');
				ScimFilter inner = filter(depth + 1);
				skipSpaces();
				expect(')');
				return new Not(inner);
			}
			if (peek() == '(') {
				this.position++;
				ScimFilter inner = filter(depth + 1);
				skipSpaces();
				expect(')');
				return inner;
			}
			ScimPath path = attributePath();
			if (peek() == '[') {
				if (path.subAttribute() != null) {
					throw error();
				}
				this.position++;
				ScimFilter inner = filter(depth + 1);
				skipSpaces();
				expect(']');
				return new ValuePath(path, inner);
			}
			if (!skipSpaces()) {
				throw error();
			}
			String operator = word();
			if ("pr".equals(operator)) {
				return new Present(path);
			}
			if (!OPERATOR.matcher(operator).matches()) {
				throw ScimException.invalidFilter("unknown-operator", operator);
			}
			if (!skipSpaces()) {
				throw error();
			}
			return new Compare(path, operator, value());
		}

		/** A path inside a filter: {@code [schema:]attribute[.sub]}. */
		ScimPath attributePath() {
			int start = this.position;
			while (!atEnd() && isPathCharacter(this.text.charAt(this.position))) {
				this.position++;
			}
			if (start == this.position) {
				throw error();
			}
			return ScimPath.parse(this.text.substring(start, this.position), start);
		}

		private JsonNode value() {
			char first = peek();
			if (first == '"') {
				int end = this.position + 1;
				while (end < this.text.length() && this.text.charAt(end) != '"') {
					end += (this.text.charAt(end) == '\\') ? 2 : 1;
				}
				if (end >= this.text.length()) {
					throw ScimException.invalidFilter("unterminated-string", this.position + 1);
				}
				String literal = this.text.substring(this.position, end + 1);
				this.position = end + 1;
				try {
					return JSON.readTree(literal);
				}
				catch (JacksonException ex) {
					throw ScimException.invalidFilter("bad-string", literal);
				}
			}
			String word = word();
			return switch (word) {
				case "true" -> JSON.getNodeFactory().booleanNode(true);
				case "false" -> JSON.getNodeFactory().booleanNode(false);
				case "null" -> JSON.getNodeFactory().nullNode();
				default -> {
					if (!NUMBER.matcher(word).matches()) {
						throw ScimException.invalidFilter("bad-value", word);
					}
					yield JSON.readTree(word);
				}
			};
		}

		/** The next run of characters up to a space, a bracket or a parenthesis, in lower case. */
		private String word() {
			int start = this.position;
			while (!atEnd() && " ()[]".indexOf(this.text.charAt(this.position)) < 0) {
				this.position++;
			}
			if (start == this.position) {
				throw error();
			}
			return this.text.substring(start, this.position).toLowerCase(Locale.ROOT);
		}

		/** Consumes a keyword followed by a space, if it is next. */
		private boolean keyword(String keyword) {
			int start = this.position;
			if (skipSpaces() && this.text.regionMatches(true, this.position, keyword, 0, keyword.length())
					&& this.position + keyword.length() < this.text.length()
					&& this.text.charAt(this.position + keyword.length()) == ' ') {
				this.position += keyword.length();
				return true;
			}
			this.position = start;
			return false;
		}

		/** Consumes a keyword followed (after optional spaces) by a character, if it is next. */
		private boolean keywordBefore(String keyword, char next) {
			if (!this.text.regionMatches(true, this.position, keyword, 0, keyword.length())) {
				return false;
			}
			int after = this.position + keyword.length();
			while (after < this.text.length() && this.text.charAt(after) == ' ') {
				after++;
			}
			if (after < this.text.length() && this.text.charAt(after) == next) {
				this.position += keyword.length();
				return true;
			}
			return false;
		}

		private void expect(char expected) {
			if (peek() != expected) {
				throw atEnd() ? ScimException.invalidFilter("expected-at-end", String.valueOf(expected))
						: ScimException.invalidFilter("expected", String.valueOf(expected), this.position + 1);
			}
			this.position++;
		}

		/** Skips spaces; answers whether there were any. */
		boolean skipSpaces() {
			int start = this.position;
			while (!atEnd() && this.text.charAt(this.position) == ' ') {
				this.position++;
			}
			return this.position > start;
		}

		boolean atEnd() {
			return this.position >= this.text.length();
		}

		char peek() {
			return atEnd() ? '\0' : this.text.charAt(this.position);
		}

		ScimException error() {
			return atEnd() ? ScimException.invalidFilter("unexpected-end")
					: ScimException.invalidFilter("unexpected", String.valueOf(this.text.charAt(this.position)),
							this.position + 1);
		}

		static boolean isPathCharacter(char c) {
			return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '.'
					|| c == '_' || c == '-' || c == '$';
		}

	}

}
