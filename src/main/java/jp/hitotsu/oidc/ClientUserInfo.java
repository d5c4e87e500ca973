package jp.hitotsu.oidc;

import java.util.Map;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * UserInfo for a client's own token (client credentials with scope {@code openid}): only
 * its {@code sub}, the client, the subject the token itself names. Spring's UserInfo wants
 * the ID token of a person's login and refuses such a token as invalid, which tells a
 * resource server nothing; answering lets a resource server check any token of the realm,
 * DPoP-bound ones included, in one way. Every other token goes to Spring's provider.
 */
final class ClientUserInfo implements AuthenticationProvider {

	private final AuthenticationProvider people;

	private final OAuth2AuthorizationService authorizations;

	ClientUserInfo(AuthenticationProvider people, OAuth2AuthorizationService authorizations) {
		this.people = people;
		this.authorizations = authorizations;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		OidcUserInfoAuthenticationToken request = (OidcUserInfoAuthenticationToken) authentication;
		if (request.getPrincipal() instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
			OAuth2Authorization authorization = this.authorizations.findByToken(token.getToken().getTokenValue(),
					OAuth2TokenType.ACCESS_TOKEN);
			if (authorization != null && StatelessClientTokens.isStateless(authorization)
					&& authorization.getAccessToken().isActive()
					&& authorization.getAccessToken().getToken().getScopes().contains(OidcScopes.OPENID)) {
				return new OidcUserInfoAuthenticationToken(token,
						new OidcUserInfo(Map.of(StandardClaimNames.SUB, authorization.getPrincipalName())));
			}
		}
		return this.people.authenticate(authentication);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return OidcUserInfoAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
