package jp.hitotsu.oidc;

import java.text.ParseException;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * RFC 7523 makes {@code client_id} optional next to a client assertion, and common
 * clients (the Nimbus SDK among them) leave it out; the authorization server requires it.
 * When it is missing, the assertion's subject names the client: the assertion is then
 * verified with that client's registered keys, and its {@code iss} and {@code sub} must
 * both equal the client id, so nothing is trusted before verification.
 */
final class ClientAssertionWithoutClientId implements AuthenticationConverter {

	private final AuthenticationConverter delegate = new JwtClientAssertionAuthenticationConverter();

	@Override
	public Authentication convert(HttpServletRequest request) {
		String assertion = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION);
		if (assertion == null || request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null) {
			return this.delegate.convert(request);
		}
		String subject;
		try {
			subject = SignedJWT.parse(assertion).getJWTClaimsSet().getSubject();
		}
		catch (ParseException ex) {
			subject = null;
		}
		return this.delegate.convert((subject != null) ? RequestWithParameters.withFormParameter(request, OAuth2ParameterNames.CLIENT_ID, subject) : request);
	}

}
