package jp.hitotsu.admin;

/** The realm has no user with that id. */
class UnknownUserException extends RuntimeException {

	private final String realm;

	private final String userId;

	UnknownUserException(String realm, String userId) {
		super("Realm '" + realm + "' has no user '" + userId + "'");
		this.realm = realm;
		this.userId = userId;
	}

	String realm() {
		return this.realm;
	}

	String userId() {
		return this.userId;
	}

}
