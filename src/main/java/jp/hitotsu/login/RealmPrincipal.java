package jp.hitotsu.login;

import java.io.Serial;
import java.io.Serializable;

/**
 * Who is logged in to a realm, in one login session.
 *
 * @param realm the realm logged in to
 * @param subject the account's opaque id (the tokens' {@code sub})
 * @param username the login name, for display
 * @param sessionId identifies this login of this realm (not the HTTP session, which
 * several realms share); the ID token's {@code sid} derives from it
 */
public record RealmPrincipal(String realm, String subject, String username, String sessionId) implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	@Override
	public String toString() {
		return this.username + "@" + this.realm;
	}

}
