package jp.hitotsu.oidc;

/**
 * A change the client's state does not allow: the {@code client_id} is taken, or the
 * client is defined in the realm file (the file is its source: the next process started
 * with the file would undo the change).
 */
public class ClientConflictException extends RuntimeException {

	/** Why the change is refused. */
	public enum Reason {

		/** A client with that id exists already. */
		EXISTS,
		/** The client comes from the realm file; change the file instead. */
		REALM_FILE

	}

	private final String realm;

	private final String clientId;

	private final Reason reason;

	ClientConflictException(String realm, String clientId, Reason reason) {
		super("Client '" + clientId + "' of realm '" + realm + "': " + reason);
		this.realm = realm;
		this.clientId = clientId;
		this.reason = reason;
	}

	public String realm() {
		return this.realm;
	}

	public String clientId() {
		return this.clientId;
	}

	public Reason reason() {
		return this.reason;
	}

}
