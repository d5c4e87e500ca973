package jp.hitotsu.oidc;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.RealmContext;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A kiosk or shared terminal is a public client: it has no secret to keep. Spring's
 * authorization server lets public clients authenticate only with PKCE, which the device
 * grant does not have, so a public client names itself by {@code client_id} alone at the
 * device authorization endpoint and when it polls with its device code (RFC 8628 3.1,
 * 3.4), and nowhere else.
 */
final class PublicDeviceClients {

	/** Marks a client authentication this class made, so that only its provider takes it. */
	private static final String DEVICE_REQUEST = "hitotsu.public-device-request";

	private PublicDeviceClients() {
	}

	static AuthenticationConverter converter() {
		return (request) -> {
			if (!"POST".equals(request.getMethod()) || !isDeviceRequest(request)
					|| request.getHeader(HttpHeaders.AUTHORIZATION) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
				return null;
			}
			String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
			if (clientIds == null || clientIds.length != 1 || clientIds[0].isBlank()) {
				return null;
			}
			return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null,
					Map.of(DEVICE_REQUEST, true));
		};
	}

	private static boolean isDeviceRequest(HttpServletRequest request) {
		return request.getRequestURI().endsWith("/oauth2/device_authorization")
				|| ClientDefinition.DEVICE_CODE.equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE));
	}

	static AuthenticationProvider provider(RealmClientRepository clients) {
		return new AuthenticationProvider() {
			@Override
			public Authentication authenticate(Authentication authentication) {
				OAuth2ClientAuthenticationToken named = (OAuth2ClientAuthenticationToken) authentication;
				if (!ClientAuthenticationMethod.NONE.equals(named.getClientAuthenticationMethod())
						|| !Boolean.TRUE.equals(named.getAdditionalParameters().get(DEVICE_REQUEST))) {
					return null;
				}
				String clientId = String.valueOf(named.getPrincipal());
				RegisteredClient client = clients.findByClientId(clientId);
				if (client == null
						|| !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
					throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
							"Client '" + clientId + "' is no public client of realm '"
									+ RealmContext.require().name() + "'; authenticate it as registered",
							null));
				}
				return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
			}
		};
	}

}
