package jp.hitotsu.admin;

/** One request parameter is wrong in a way its type and constraints cannot say; answered 400 naming it. */
class InvalidParameterException extends RuntimeException {

	private final String field;

	private final String messageKey;

	private final transient Object[] arguments;

	InvalidParameterException(String field, String messageKey, Object... arguments) {
		super(field + ": " + messageKey);
		this.field = field;
		this.messageKey = messageKey;
		this.arguments = arguments;
	}

	String field() {
		return this.field;
	}

	String messageKey() {
		return this.messageKey;
	}

	Object[] arguments() {
		return this.arguments.clone();
	}

}
