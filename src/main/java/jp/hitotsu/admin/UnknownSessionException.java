package jp.hitotsu.admin;

/** The user has no session with that {@code sid} in the realm (it may have ended already). */
class UnknownSessionException extends RuntimeException {

	private final String realm;

	private final String userId;

	private final String sid;

	UnknownSessionException(String realm, String userId, String sid) {
		super("User '" + userId + "' of realm '" + realm + "' has no session '" + sid + "'");
		this.realm = realm;
		this.userId = userId;
		this.sid = sid;
	}

	String realm() {
		return this.realm;
	}

	String userId() {
		return this.userId;
	}

	String sid() {
		return this.sid;
	}

}
