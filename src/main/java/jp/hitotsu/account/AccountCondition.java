package jp.hitotsu.account;

import java.util.List;

/**
 * A condition on accounts that {@link AccountSearch} turns into parameterised SQL: the
 * fields are a fixed list, values are always bound, never written into the statement.
 */
public sealed interface AccountCondition {

	/** How a field is compared with a value (the SCIM operators). */
	enum Operator {

		EQ, NE, CO, SW, EW, GT, GE, LT, LE;

	}

	/** {@code field operator value}; the value is a string, a boolean or an instant as the field needs. */
	record Compare(AccountField field, Operator operator, Object value) implements AccountCondition {
	}

	/** The field has a value. */
	record Present(AccountField field) implements AccountCondition {
	}

	record All(List<AccountCondition> conditions) implements AccountCondition {
	}

	record Any(List<AccountCondition> conditions) implements AccountCondition {
	}

	record Not(AccountCondition condition) implements AccountCondition {
	}

	/** Always or never true: what a condition on a value every account shares comes to. */
	record Constant(boolean value) implements AccountCondition {
	}

	AccountCondition ALL = new Constant(true);

}
