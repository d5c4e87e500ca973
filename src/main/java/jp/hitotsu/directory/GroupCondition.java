package jp.hitotsu.directory;

import java.util.List;

/**
 * A condition on the groups of a realm, as {@link DirectoryGroups#search} turns it into one
 * SQL statement: the fields are a fixed whitelist and every value is a bound parameter.
 */
public sealed interface GroupCondition {

	/** Every group. */
	GroupCondition ALL = new Constant(true);

	/** What a condition may compare; {@code MEMBER} is the id of an account in the group. */
	enum Field {

		ID, DISPLAY_NAME, EXTERNAL_ID, MEMBER, CREATED, UPDATED;

		public boolean isTime() {
			return this == CREATED || this == UPDATED;
		}

	}

	enum Operator {

		EQ, NE, CO, SW, EW, GT, GE, LT, LE

	}

	/**
	 * @param value a String for text fields, a UUID for {@code ID} and {@code MEMBER}, an
	 * Instant for times
	 */
	record Compare(Field field, Operator operator, Object value) implements GroupCondition {
	}

	record Present(Field field) implements GroupCondition {
	}

	record All(List<GroupCondition> conditions) implements GroupCondition {
	}

	record Any(List<GroupCondition> conditions) implements GroupCondition {
	}

	record Not(GroupCondition condition) implements GroupCondition {
	}

	record Constant(boolean holds) implements GroupCondition {
	}

}
