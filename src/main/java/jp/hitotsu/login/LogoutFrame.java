package jp.hitotsu.login;

import java.io.Serial;
import java.io.Serializable;

/**
 * A page of a client that the browser loads, in a hidden frame, while it logs out of the
 * realm (OpenID Connect Front-Channel Logout 1.0).
 *
 * @param clientName the client's name, for the frame's title
 * @param uri the client's front-channel logout URI with {@code iss} and {@code sid}
 */
public record LogoutFrame(String clientName, String uri) implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

}
