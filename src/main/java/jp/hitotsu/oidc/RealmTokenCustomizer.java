package jp.hitotsu.oidc;

import java.time.Instant;
import java.util.List;

import jp.hitotsu.account.Identity;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * Fills tokens from the realm and the directory. Access tokens stay small (RFC 9068, the
 * roles the client may see, and the directory claims its scopes ask for): they travel in
 * every API call's headers. ID tokens carry
 * what the login achieved ({@code auth_time}, {@code acr}, {@code amr}) and the person's
 * claims for the granted scopes.
 */
@Component
class RealmTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final IdentityClaims claims;

	private final DPoPProofs proofs;

	private final ApplicationEventPublisher events;

	RealmTokenCustomizer(IdentityClaims claims, DPoPProofs proofs, ApplicationEventPublisher events) {
		this.claims = claims;
		this.proofs = proofs;
		this.events = events;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		Realm realm = RealmContext.require();
		boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
		boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
		if (accessToken) {
			// Spring verified the proof, if any, and bound the token to its key (cnf.jkt)
			this.proofs.checkTokenRequest(realm, context);
			context.getJwsHeader().algorithm(SignatureAlgorithm.from(realm.tokens().signingAlgorithm()));
			context.getJwsHeader().type("at+jwt");
			context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
			TokenExchangePolicy.customize(context);
		}
		if (!(context.getPrincipal() instanceof RealmAuthentication login)) {
			return;
		}
		Identity identity = this.claims.activeAccount(realm.name(), login.getName(), OAuth2ErrorCodes.INVALID_GRANT);
		this.claims.requireVerifiedEmail(identity, context.getRegisteredClient());
		if (accessToken) {
			List<String> roles = this.claims.visibleRoles(identity, context.getAuthorizedScopes(),
					context.getRegisteredClient());
			if (!roles.isEmpty()) {
				context.getClaims().claim(IdentityClaims.ROLES, roles);
			}
			this.claims.directoryClaims(identity, context.getAuthorizedScopes(), context.getRegisteredClient())
				.forEach(context.getClaims()::claim);
			// every code exchange issues one access token: the session's clients are known. A
			// refresh adds none (its code exchange recorded the client), so it writes nothing for it
			if (!AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())) {
				this.events.publishEvent(new ClientTokensIssuedEvent(realm.name(),
						context.getAuthorizationServerContext().getIssuer(),
						context.getRegisteredClient().getClientId(), login));
			}
		}
		if (idToken) {
			context.getClaims().claims((idClaims) -> {
				idClaims.putAll(this.claims.userClaims(identity, context.getAuthorizedScopes(),
						context.getRegisteredClient()));
				idClaims.put(IdTokenClaimNames.ACR, login.acr());
				idClaims.put(IdTokenClaimNames.AMR, login.amr());
				Instant issuedAt = (Instant) idClaims.get(IdTokenClaimNames.IAT);
				idClaims.put(IdTokenClaimNames.EXP,
						issuedAt.plus(RealmClientRepository.idTokenLifetime(context.getRegisteredClient())));
			});
		}
	}

}
