package jp.hitotsu.oidc;

/** The realm has no client with that {@code client_id}. */
public class UnknownClientException extends RuntimeException {

	private final String realm;

	private final String clientId;

	public UnknownClientException(String realm, String clientId) {
		super("Realm '" + realm + "' has no client '" + clientId + "'");
		this.realm = realm;
		this.clientId = clientId;
	}

	public String realm() {
		return this.realm;
	}

	public String clientId() {
		return this.clientId;
	}

}
