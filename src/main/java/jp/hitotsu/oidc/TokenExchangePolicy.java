package jp.hitotsu.oidc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.stereotype.Component;

/**
 * Token exchange (RFC 8693) as a realm allows it: a departmental system that holds a
 * person's access token gets a token for one other system, to call it on the person's
 * behalf. Spring's own provider does the exchange; this class narrows what it accepts:
 * <ul>
 * <li>only the pairs the realm lists: client {@code a} may ask for audience {@code b} when
 * {@code b} is in {@code a}'s {@code token-exchange-audiences};</li>
 * <li>exactly one {@code audience}, a client of the realm; the token's {@code aud} is that
 * client alone;</li>
 * <li>a subject token of this realm, active, issued to the requesting client (its
 * {@code aud}) and for a person; a revoked or foreign token is unknown here;</li>
 * <li>scopes never wider than the subject token's;</li>
 * <li>delegation only, never impersonation: the token names the requesting client in
 * {@code act} (nested when the subject token already had an actor), and no
 * {@code actor_token} stands in for it.</li>
 * </ul>
 */
@Component
class TokenExchangePolicy {

	private static final String ACT = "act";

	private static final String INVALID_TARGET = "invalid_target";

	private final RealmClientRepository clients;

	private final PostgresAuthorizationService authorizations;

	TokenExchangePolicy(RealmClientRepository clients, PostgresAuthorizationService authorizations) {
		this.clients = clients;
		this.authorizations = authorizations;
	}

	/** Spring's token exchange provider behind this policy; any other provider as it is. */
	AuthenticationProvider constrain(AuthenticationProvider provider) {
		if (!(provider instanceof OAuth2TokenExchangeAuthenticationProvider)) {
			return provider;
		}
		return new AuthenticationProvider() {
			@Override
			public Authentication authenticate(Authentication authentication) {
				check((OAuth2TokenExchangeAuthenticationToken) authentication);
				return provider.authenticate(authentication);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return provider.supports(authentication);
			}
		};
	}

	private void check(OAuth2TokenExchangeAuthenticationToken request) {
		Realm realm = RealmContext.require();
		if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
				|| client.getRegisteredClient() == null) {
			throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
		}
		String clientId = client.getRegisteredClient().getClientId();
		String who = "Client '" + clientId + "' of realm '" + realm.name() + "'";
		List<String> allowed = this.clients.definition(realm.name(), clientId)
			.map(ClientDefinition::tokenExchangeAudiences)
			.orElse(List.of());
		if (allowed.isEmpty()) {
			throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, who + " may not exchange tokens");
		}
		if (request.getActorToken() != null) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST,
					who + ": actor_token is not accepted; the authenticated client is the actor");
		}
		if (!request.getResources().isEmpty() || request.getAudiences().size() != 1) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST,
					who + ": name exactly one target system as audience (its client_id), and no resource");
		}
		String audience = request.getAudiences().iterator().next();
		if (!allowed.contains(audience) || this.clients.definition(realm.name(), audience).isEmpty()) {
			throw error(INVALID_TARGET, who + " may not exchange tokens for audience '" + audience
					+ "'; the realm allows it " + allowed);
		}
		OAuth2Authorization subject = this.authorizations.findByToken(request.getSubjectToken(),
				OAuth2TokenType.ACCESS_TOKEN);
		OAuth2Authorization.Token<OAuth2Token> subjectToken = (subject != null)
				? subject.getToken(request.getSubjectToken()) : null;
		if (subjectToken == null || !subjectToken.isActive()) {
			throw error(OAuth2ErrorCodes.INVALID_GRANT,
					"The subject_token is not an active access token of realm '" + realm.name() + "'");
		}
		Object tokenAudience = (subjectToken.getClaims() != null) ? subjectToken.getClaims().get("aud") : null;
		if (!(tokenAudience instanceof java.util.Collection<?> audiences) || !audiences.contains(clientId)) {
			throw error(OAuth2ErrorCodes.INVALID_GRANT,
					who + ": the subject_token was not issued to this client (its aud is " + tokenAudience + ")");
		}
		Set<String> scopes = request.getScopes().isEmpty() ? subject.getAuthorizedScopes() : request.getScopes();
		List<String> wider = scopes.stream().filter((scope) -> !subject.getAuthorizedScopes().contains(scope)).toList();
		if (!wider.isEmpty()) {
			throw error(OAuth2ErrorCodes.INVALID_SCOPE,
					who + ": scopes " + wider + " are wider than the subject_token's " + subject.getAuthorizedScopes());
		}
	}

	/**
	 * The exchanged access token's audience (the target system alone) and actor (the
	 * requesting client, above any actor of the subject token).
	 */
	static void customize(JwtEncodingContext context) {
		if (!AuthorizationGrantType.TOKEN_EXCHANGE.equals(context.getAuthorizationGrantType())
				|| !(context.getAuthorizationGrant() instanceof OAuth2TokenExchangeAuthenticationToken request)) {
			return;
		}
		context.getClaims().audience(List.copyOf(request.getAudiences()));
		Map<String, Object> actor = new LinkedHashMap<>();
		actor.put("sub", context.getRegisteredClient().getClientId());
		OAuth2Authorization.Token<OAuth2Token> subjectToken = context.getAuthorization()
			.getToken(request.getSubjectToken());
		Object previous = (subjectToken != null && subjectToken.getClaims() != null)
				? subjectToken.getClaims().get(ACT) : null;
		if (previous != null) {
			actor.put(ACT, previous);
		}
		context.getClaims().claim(ACT, actor);
	}

	private static OAuth2AuthenticationException error(String code, String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(code, description,
				"https://datatracker.ietf.org/doc/html/rfc8693#section-2.2.2"));
	}

}
