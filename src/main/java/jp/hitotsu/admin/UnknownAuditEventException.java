package jp.hitotsu.admin;

/** The realm has no audit event with that id (another realm's event is not this realm's). */
class UnknownAuditEventException extends RuntimeException {

	private final String realm;

	private final long id;

	UnknownAuditEventException(String realm, long id) {
		super("Realm '" + realm + "' has no audit event " + id);
		this.realm = realm;
		this.id = id;
	}

	String realm() {
		return this.realm;
	}

	long id() {
		return this.id;
	}

}
