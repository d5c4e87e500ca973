package jp.hitotsu.admin;

/** The user has no such second factor in the realm (never enrolled, or removed already). */
class UnknownFactorException extends RuntimeException {

	private final String realm;

	private final String userId;

	private final String factor;

	UnknownFactorException(String realm, String userId, String factor) {
		super("User '" + userId + "' of realm '" + realm + "' has no factor '" + factor + "'");
		this.realm = realm;
		this.userId = userId;
		this.factor = factor;
	}

	String realm() {
		return this.realm;
	}

	String userId() {
		return this.userId;
	}

	String factor() {
		return this.factor;
	}

}
