package jp.hitotsu.oidc;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.RealmContext;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * A call of the token, introspection or revocation endpoint that names no client at all
 * (no credentials, no assertion) never reaches the authorization server's client
 * authentication, which answers a wrong secret with {@code invalid_client}: without this
 * entry point it got a bare 401. RFC 6749 §5.2 asks for the same {@code invalid_client}
 * error either way, with the scheme to use.
 */
class ClientAuthenticationRequired implements AuthenticationEntryPoint {

	private final OAuth2ErrorHttpMessageConverter errors = new OAuth2ErrorHttpMessageConverter();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		String realm = RealmContext.current().map((found) -> found.name()).orElse("?");
		ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
		answer.setStatusCode(HttpStatus.UNAUTHORIZED);
		answer.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\"");
		this.errors.write(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
				"Realm " + realm + " needs the client to authenticate (client_secret_basic, client_secret_post or"
						+ " private_key_jwt, as the client is registered)",
				null), null, answer);
	}

}
