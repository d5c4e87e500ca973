package jp.hitotsu.oidc;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import jp.hitotsu.support.DPoPKeys;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token exchange (RFC 8693) between departmental systems: {@code portal} may call
 * {@code reports-api} on a person's behalf, and {@code reports-api} may pass it on to
 * {@code archive-api}; nothing else (realm {@code grants}).
 */
class TokenExchangeTests extends ServerTest {

	private static final URI PORTAL_CALLBACK = URI.create("https://portal.example.test/callback");

	private OidcClient portal() {
		return client("grants", "portal", "portal-secret-0123456789");
	}

	private OidcClient reportsApi() {
		return client("grants", "reports-api", "reports-api-secret-0123456789");
	}

	/** The access token portal gets when tanaka logs in to it. */
	private AccessToken personToken(String scope) {
		OidcClient portal = portal();
		OidcClient.Authorization authorization = portal.authorization(PORTAL_CALLBACK, scope);
		return portal.exchange(browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"), authorization)
			.getOIDCTokens()
			.getAccessToken();
	}

	private static TokenExchangeGrant exchange(AccessToken subject, String audience) {
		return new TokenExchangeGrant(subject, TokenTypeURI.ACCESS_TOKEN, null, null, TokenTypeURI.ACCESS_TOKEN,
				List.of(new Audience(audience)));
	}

	private static ErrorObject error(TokenResponse response) {
		assertThat(response.indicatesSuccess()).as("token exchange refused").isFalse();
		return response.toErrorResponse().getErrorObject();
	}

	@Test
	void exchangeWhenPairAllowedThenTokenForTargetActingForThePerson() throws Exception {
		AccessToken subject = personToken("openid profile reports.read");
		JWTClaimsSet person = portal().verifyAccessToken(subject.getValue());

		TokenResponse response = portal().token(exchange(subject, "reports-api"), new Scope("reports.read"));

		assertThat(response.indicatesSuccess()).as(() -> response.toHTTPResponse().getBody()).isTrue();
		assertThat(response.toHTTPResponse().getBodyAsJSONObject().get("issued_token_type"))
			.isEqualTo(TokenTypeURI.ACCESS_TOKEN.toString());
		AccessToken exchanged = response.toSuccessResponse().getTokens().getAccessToken();
		JWTClaimsSet claims = portal().verifyAccessToken(exchanged.getValue());
		assertThat(claims.getSubject()).isEqualTo(person.getSubject());
		assertThat(claims.getAudience()).containsExactly("reports-api");
		assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", "portal"));
		assertThat(claims.getStringListClaim("scope")).containsExactly("reports.read");
		// the target system sees it as active, for the person, acting through portal
		assertThat(reportsApi().introspect(exchanged).toSuccessResponse().isActive()).isTrue();
	}

	@Test
	void exchangeWhenPassedOnThenActorsNested() throws Exception {
		AccessToken forReports = portal().token(exchange(personToken("openid reports.read"), "reports-api"),
				new Scope("reports.read"))
			.toSuccessResponse()
			.getTokens()
			.getAccessToken();

		TokenResponse response = reportsApi().token(exchange(forReports, "archive-api"), null);

		assertThat(response.indicatesSuccess()).as(() -> response.toHTTPResponse().getBody()).isTrue();
		JWTClaimsSet claims = portal()
			.verifyAccessToken(response.toSuccessResponse().getTokens().getAccessToken().getValue());
		assertThat(claims.getAudience()).containsExactly("archive-api");
		assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", "reports-api", "act", Map.of("sub", "portal")));
	}

	@Test
	void exchangeWhenAudienceNotListedForTheClientThenInvalidTargetNamingThePair() {
		ErrorObject error = error(portal().token(exchange(personToken("openid reports.read"), "ledger-api"), null));
		assertThat(error.getCode()).isEqualTo("invalid_target");
		assertThat(error.getDescription()).contains("'portal'", "'grants'", "'ledger-api'", "[reports-api]");
	}

	@Test
	void exchangeWhenClientInNoPairThenUnauthorizedClient() {
		OidcClient ledger = client("grants", "ledger-api", "ledger-api-secret-0123456789");
		ErrorObject error = error(ledger.token(exchange(personToken("openid reports.read"), "reports-api"), null));
		assertThat(error.getCode()).isEqualTo("unauthorized_client");
		assertThat(error.getDescription()).contains("'ledger-api'", "may not exchange tokens");
	}

	@Test
	void exchangeWhenScopeWiderThanSubjectTokenThenInvalidScope() {
		AccessToken subject = personToken("openid reports.read");
		ErrorObject error = error(portal().token(exchange(subject, "reports-api"), new Scope("reports.write")));
		assertThat(error.getCode()).isEqualTo("invalid_scope");
		assertThat(error.getDescription()).contains("[reports.write]");
	}

	@Test
	void exchangeWhenSubjectTokenRevokedThenInvalidGrant() {
		AccessToken subject = personToken("openid reports.read");
		assertThat(portal().revoke(subject).getStatusCode()).isEqualTo(200);
		ErrorObject error = error(portal().token(exchange(subject, "reports-api"), null));
		assertThat(error.getCode()).isEqualTo("invalid_grant");
		assertThat(error.getDescription()).contains("realm 'grants'");
	}

	@Test
	void exchangeWhenSubjectTokenOfAnotherRealmThenInvalidGrant() {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = webApp.authorization(URI.create("https://app.example.test/callback"),
				"openid");
		AccessToken staffToken = webApp
			.exchange(browser().authorize(authorization.uri(), "suzuki", "suzuki-test-pass"), authorization)
			.getOIDCTokens()
			.getAccessToken();
		assertThat(error(portal().token(exchange(staffToken, "reports-api"), null)).getCode()).isEqualTo("invalid_grant");
	}

	@Test
	void exchangeWhenSubjectTokenIssuedToAnotherClientThenInvalidGrant() {
		AccessToken forReports = portal().token(exchange(personToken("openid reports.read"), "reports-api"),
				new Scope("reports.read"))
			.toSuccessResponse()
			.getTokens()
			.getAccessToken();
		// portal holds a token meant for reports-api: it may not spend it again itself
		ErrorObject error = error(portal().token(exchange(forReports, "reports-api"), null));
		assertThat(error.getCode()).isEqualTo("invalid_grant");
		assertThat(error.getDescription()).contains("not issued to this client");
	}

	@Test
	void exchangeWhenRealmRequiresSenderConstrainedTokensThenOnlyWithProofAndBoundToTheKey() throws Exception {
		OidcClient portal = client("grants-bound", "portal", "bound-portal-secret-0123456789");
		ECKey key = DPoPKeys.newKey();
		DefaultDPoPProofFactory proofs = DPoPKeys.proofs(key);
		OidcClient.Authorization authorization = portal.authorization(PORTAL_CALLBACK, "openid reports.read");
		AccessToken subject = portal
			.tokenResponse(browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"), authorization, proofs)
			.toSuccessResponse()
			.getTokens()
			.getAccessToken();

		assertThat(error(portal.token(exchange(subject, "reports-api"), null)).getCode())
			.isEqualTo("invalid_dpop_proof");
		TokenResponse bound = portal.token(exchange(subject, "reports-api"), null, proofs);

		assertThat(bound.indicatesSuccess()).as(() -> bound.toHTTPResponse().getBody()).isTrue();
		AccessToken exchanged = bound.toSuccessResponse().getTokens().getAccessToken();
		assertThat(exchanged.getType()).isEqualTo(AccessTokenType.DPOP);
		assertThat(JWKThumbprintConfirmation.parse(portal.verifyAccessToken(exchanged.getValue())))
			.isEqualTo(JWKThumbprintConfirmation.of(key));
	}

	@Test
	void exchangeWhenActorTokenGivenThenRefusedAsImpersonation() {
		AccessToken subject = personToken("openid reports.read");
		TokenExchangeGrant withActor = new TokenExchangeGrant(subject, TokenTypeURI.ACCESS_TOKEN, subject,
				TokenTypeURI.ACCESS_TOKEN, TokenTypeURI.ACCESS_TOKEN, List.of(new Audience("reports-api")));
		ErrorObject error = error(portal().token(withActor, null));
		assertThat(error.getCode()).isEqualTo("invalid_request");
		assertThat(error.getDescription()).contains("actor_token");
	}

}
