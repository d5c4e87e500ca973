package jp.hitotsu.account;

/**
 * The fields of an account that searches may compare and sort on, each with the SQL
 * expression {@link AccountSearch} uses (a fixed whitelist: nothing a caller writes reaches
 * the statement). Case-insensitive fields compare in lower case against the indexes of
 * migrations V101 and V113 (V114: co/ew on usernames and e-mail); usernames are stored
 * normalised already.
 */
public enum AccountField {

	ID("a.id", Kind.ID),
	/** {@code co}/{@code ew} on V114's trigram index: its expression is not the prefix index's. */
	USERNAME("a.username", Kind.USERNAME, "lower(a.username)", null),
	EXTERNAL_ID("a.external_id", Kind.EXACT),
	/** {@code co}/{@code ew} on V114's trigram index: its expression is not the prefix index's. */
	EMAIL("lower(a.email)", Kind.CASE_INSENSITIVE, "upper(a.email)", "upper"),
	GIVEN_NAME("lower(a.given_name)", Kind.CASE_INSENSITIVE),
	FAMILY_NAME("lower(a.family_name)", Kind.CASE_INSENSITIVE),
	DISPLAY_NAME("lower(a.display_name)", Kind.CASE_INSENSITIVE),
	ENABLED("a.enabled", Kind.BOOLEAN),
	CREATED("a.created_at", Kind.TIME),
	UPDATED("a.updated_at", Kind.TIME),
	/**
	 * The directory's employee number, from its staff table joined read-only, because a
	 * filter may combine it with account fields in one statement (the directory package
	 * owns and writes that table; see docs/scim-handoff.md).
	 */
	EMPLOYEE_NUMBER("s.employee_number", Kind.EXACT),
	/** The id of the person's manager, from the directory's staff table like the employee number. */
	MANAGER("s.manager_id", Kind.ID);

	enum Kind {

		ID, USERNAME, EXACT, CASE_INSENSITIVE, BOOLEAN, TIME;

	}

	private final String expression;

	private final Kind kind;

	private final String substringExpression;

	private final String substringFold;

	AccountField(String expression, Kind kind) {
		this(expression, kind, expression, (kind == Kind.CASE_INSENSITIVE) ? "lower" : null);
	}

	AccountField(String expression, Kind kind, String substringExpression, String substringFold) {
		this.expression = expression;
		this.kind = kind;
		this.substringExpression = substringExpression;
		this.substringFold = substringFold;
	}

	String expression() {
		return this.expression;
	}

	/** What {@code co} and {@code ew} compare (a LIKE pattern that starts with a wildcard). */
	String substringExpression() {
		return this.substringExpression;
	}

	/** The function that folds a {@code co}/{@code ew} pattern's case as the expression does, or {@code null}. */
	String substringFold() {
		return this.substringFold;
	}

	Kind kind() {
		return this.kind;
	}

	/** Whether the field holds text that {@code co}, {@code sw}, {@code ew} apply to. */
	public boolean isText() {
		return this.kind != Kind.BOOLEAN && this.kind != Kind.TIME && this.kind != Kind.ID;
	}

	public boolean isBoolean() {
		return this.kind == Kind.BOOLEAN;
	}

	public boolean isTime() {
		return this.kind == Kind.TIME;
	}

}
