package jp.hitotsu.oidc;

import java.util.List;

/**
 * A client as an administrator registers or replaces it through the admin API. Absent
 * lists and flags take the same defaults as in a realm file.
 *
 * @param clientId the {@code client_id} (on register; a replace takes it from the path)
 * @param name shown to users on the consent page; the client id when absent
 * @param type {@code confidential} (default: it gets a secret) or {@code public}
 * @param authenticationMethod {@code client_secret_basic} (default for confidential),
 * {@code client_secret_post}, or {@code none} (public)
 * @param accessTokenLifetime {@code 5m}, {@code PT5M}, ...; at most the realm's
 * @param refreshTokenLifetime likewise, at most the realm's
 * @param requirePushedAuthorizationRequests refuse authorization requests not pushed first
 * (PAR)
 * @param tokenExchangeAudiences the clients this one may exchange a person's token for
 * @param backchannelLogoutUri where the client receives logout tokens; https (http only on
 * a loopback address)
 * @param backchannelLogoutSessionRequired the client needs {@code sid} in logout tokens
 * @param frontchannelLogoutUri loaded in a hidden frame at logout; on the origin of a
 * redirect URI
 * @param frontchannelLogoutSessionRequired the client needs {@code iss} and {@code sid} there
 * @param verifiedClaims the client may receive {@code verified_claims} (Identity Assurance)
 * @param minimumIal the identity assurance level (1-3) an account needs for this client
 */
public record ClientInput(String clientId, String name, String type, String authenticationMethod,
		List<String> redirectUris, List<String> postLogoutRedirectUris, List<String> grantTypes, List<String> scopes,
		List<String> roles, String accessTokenLifetime, String refreshTokenLifetime, Boolean requirePkce,
		Boolean requireConsent, Boolean requireVerifiedEmail, Boolean requirePushedAuthorizationRequests,
		List<String> tokenExchangeAudiences, String backchannelLogoutUri,
		Boolean backchannelLogoutSessionRequired, String frontchannelLogoutUri,
		Boolean frontchannelLogoutSessionRequired, Boolean verifiedClaims, Integer minimumIal) {

	public ClientInput withClientId(String id) {
		return new ClientInput(id, this.name, this.type, this.authenticationMethod, this.redirectUris,
				this.postLogoutRedirectUris, this.grantTypes, this.scopes, this.roles, this.accessTokenLifetime,
				this.refreshTokenLifetime, this.requirePkce, this.requireConsent, this.requireVerifiedEmail,
				this.requirePushedAuthorizationRequests, this.tokenExchangeAudiences,
				this.backchannelLogoutUri, this.backchannelLogoutSessionRequired, this.frontchannelLogoutUri,
				this.frontchannelLogoutSessionRequired, this.verifiedClaims, this.minimumIal);
	}

}
