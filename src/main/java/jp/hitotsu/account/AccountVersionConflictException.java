package jp.hitotsu.account;

/** The account changed since the version the caller read (a SCIM ETag that no longer matches). */
public class AccountVersionConflictException extends RuntimeException {

	private final long current;

	public AccountVersionConflictException(String realm, String id, long current) {
		super("Account " + id + " of realm '" + realm + "' is at version " + current);
		this.current = current;
	}

	public long current() {
		return this.current;
	}

}
