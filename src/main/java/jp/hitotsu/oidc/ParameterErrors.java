package jp.hitotsu.oidc;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.RealmContext;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.web.authentication.ClientSecretBasicAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ErrorAuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * The error answer of the pushed authorization request and device authorization endpoints.
 * The authorization server describes a refused parameter only as "OAuth 2.0 Parameter: X";
 * a developer reading that cannot tell which realm or client it concerns, nor whether the
 * value is missing or not registered. This handler keeps the error code and rewrites such a
 * description to name the realm, the client and the parameter; other descriptions (written
 * by Hitotsu's own checks) are passed on as they are.
 */
final class ParameterErrors implements AuthenticationFailureHandler {

	private static final ClientSecretBasicAuthenticationConverter BASIC = new ClientSecretBasicAuthenticationConverter();

	private static final String SPRING_PREFIX = "OAuth 2.0 Parameter: ";

	private final AuthenticationFailureHandler json = new OAuth2ErrorAuthenticationFailureHandler();

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		if (exception instanceof OAuth2AuthenticationException oauth
				&& oauth.getError().getDescription() != null
				&& oauth.getError().getDescription().startsWith(SPRING_PREFIX)) {
			OAuth2Error error = oauth.getError();
			String parameter = error.getDescription().substring(SPRING_PREFIX.length());
			String described = "realm '" + RealmContext.require().name() + "', client '" + clientId(request)
					+ "': the parameter '" + parameter + "' is missing, malformed, repeated or not allowed for this"
					+ " client (check its registration: redirect URIs, grant types, scopes)";
			exception = new OAuth2AuthenticationException(
					new OAuth2Error(error.getErrorCode(), described, error.getUri()), oauth);
		}
		this.json.onAuthenticationFailure(request, response, exception);
	}

	/**
	 * The client, as the request names it: the endpoint filter has cleared the security
	 * context by the time it reports an error, so read the request's own client
	 * authentication again (HTTP Basic as the authorization server decodes it, or
	 * {@code client_id}).
	 */
	private static String clientId(HttpServletRequest request) {
		try {
			Authentication basic = BASIC.convert(request);
			if (basic != null) {
				return printable(basic.getName());
			}
		}
		catch (OAuth2AuthenticationException malformed) {
			// a malformed header names no client; the parameter may still
		}
		String named = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
		return (named != null) ? printable(named) : "(none named)";
	}

	/** RFC 6749 5.2 allows only printable ASCII without '"' and '\\' in a description. */
	private static String printable(String clientId) {
		return clientId.chars().allMatch((c) -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') ? clientId
				: "(not printable)";
	}

}
