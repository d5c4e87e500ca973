package jp.hitotsu.oidc;

import java.net.URI;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.DPoPKeys;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP (RFC 9449) in a realm of a lower zone that opts into the My Number zone's rule
 * {@code sender-constrained-tokens} ({@code realms/bound.yaml}), and in one that does not
 * (staff): binding at the token endpoint, proofs at UserInfo, {@code cnf} at introspection.
 */
class DPoPTests extends ServerTest {

	private static final String REALM = "bound";

	private final ECKey clientKey = DPoPKeys.newKey();

	private final DefaultDPoPProofFactory proofs = DPoPKeys.proofs(this.clientKey);

	private OidcClient batch;

	@BeforeEach
	void discoverRealm() {
		this.batch = client(REALM, "bound-batch", "bound-batch-secret-0123456789");
	}

	@Test
	void discoveryWhenRealmThenDPoPAlgorithmsAdvertised() {
		assertThat(this.batch.provider().getDPoPJWSAlgs()).contains(JWSAlgorithm.ES256, JWSAlgorithm.RS256);
	}

	@Test
	void tokenRequestWhenNoProofThenRefusedNamingRealmAndRule() {
		TokenResponse response = this.batch.token(new ClientCredentialsGrant(), new Scope("openid"));
		assertThat(response.indicatesSuccess()).isFalse();
		ErrorObject error = response.toErrorResponse().getErrorObject();
		assertThat(error.getHTTPStatusCode()).isEqualTo(400);
		assertThat(error.getCode()).isEqualTo("invalid_dpop_proof");
		assertThat(error.getDescription()).contains("Realm bound").contains("sender-constrained-tokens");
	}

	@Test
	void tokenRequestWhenProofThenDPoPTokenBoundToTheKey() throws Exception {
		AccessToken token = boundToken();
		assertThat(token.getType()).isEqualTo(AccessTokenType.DPOP);
		JWTClaimsSet claims = this.batch.verifyAccessToken(token.getValue());
		assertThat(JWKThumbprintConfirmation.parse(claims)).isEqualTo(JWKThumbprintConfirmation.of(this.clientKey));
	}

	@Test
	void tokenRequestWhenProofReplayedThenRefused() throws Exception {
		SignedJWT proof = this.proofs.createDPoPJWT("POST", this.batch.provider().getTokenEndpointURI());
		DefaultDPoPProofFactory sameProofAgain = new DefaultDPoPProofFactory(this.clientKey, JWSAlgorithm.ES256) {
			@Override
			public SignedJWT createDPoPJWT(String method, java.net.URI uri) {
				return proof;
			}
		};
		assertThat(this.batch.token(new ClientCredentialsGrant(), new Scope("openid"), sameProofAgain)
			.indicatesSuccess()).isTrue();
		TokenResponse replayed = this.batch.token(new ClientCredentialsGrant(), new Scope("openid"), sameProofAgain);
		assertThat(replayed.indicatesSuccess()).isFalse();
		assertThat(replayed.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_dpop_proof");
	}

	@Test
	void userInfoWhenDPoPTokenWithValidProofThenAnswered() throws Exception {
		AccessToken token = boundToken();
		HTTPResponse response = this.batch.userInfo(token, this.batch.userInfoProof(this.proofs, token));
		assertThat(response.getStatusCode()).as(response::getBody).isEqualTo(200);
		assertThat(response.getBodyAsJSONObject().get("sub")).isEqualTo("bound-batch");
	}

	@Test
	void userInfoWhenBoundTokenWithoutProofThenRefused() throws Exception {
		AccessToken token = boundToken();
		HTTPResponse asBearer = this.batch.userInfo(new BearerAccessToken(token.getValue()), null);
		assertThat(asBearer.getStatusCode()).isEqualTo(401);
		assertThat(asBearer.getHeaderValue("WWW-Authenticate")).contains("error=\"invalid_token\"");
		HTTPResponse noProof = this.batch.userInfo(token, null);
		assertThat(noProof.getStatusCode()).isEqualTo(401);
	}

	@Test
	void userInfoWhenProofReplayedThenRefused() throws Exception {
		AccessToken token = boundToken();
		SignedJWT proof = this.batch.userInfoProof(this.proofs, token);
		assertThat(this.batch.userInfo(token, proof).getStatusCode()).isEqualTo(200);
		HTTPResponse replayed = this.batch.userInfo(token, proof);
		assertThat(replayed.getStatusCode()).isEqualTo(401);
		assertThat(replayed.getHeaderValue("WWW-Authenticate")).contains("invalid_dpop_proof");
	}

	@Test
	void userInfoWhenProofSignedByAnotherKeyOrForAnotherTokenThenRefused() throws Exception {
		AccessToken token = boundToken();
		SignedJWT otherKey = this.batch.userInfoProof(DPoPKeys.proofs(DPoPKeys.newKey()), token);
		assertThat(this.batch.userInfo(token, otherKey).getStatusCode()).isEqualTo(401);
		SignedJWT otherToken = this.batch.userInfoProof(this.proofs, boundToken());
		assertThat(this.batch.userInfo(token, otherToken).getStatusCode()).isEqualTo(401);
		SignedJWT otherMethod = this.proofs.createDPoPJWT("POST", this.batch.provider().getUserInfoEndpointURI(),
				token);
		assertThat(this.batch.userInfo(token, otherMethod).getStatusCode()).isEqualTo(401);
	}

	@Test
	void personWhenCodeExchangedWithProofThenBoundTokenWorksAtUserInfoOnlyWithAProof() throws Exception {
		OidcClient spa = client("citizen", "spa", null);
		OidcClient.Authorization authorization = spa.authorization(URI.create("https://spa.example.test/callback"),
				"openid profile");
		URI callback = browser().authorize(authorization.uri(), "yamada", "yamada-test-pass");
		TokenResponse response = spa.tokenResponse(callback, authorization, this.proofs);
		assertThat(response.indicatesSuccess()).isTrue();
		AccessToken token = ((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken();
		assertThat(token.getType()).isEqualTo(AccessTokenType.DPOP);
		HTTPResponse userInfo = spa.userInfo(token, spa.userInfoProof(this.proofs, token));
		assertThat(userInfo.getStatusCode()).as(userInfo::getBody).isEqualTo(200);
		assertThat(userInfo.getBodyAsJSONObject().get("name")).isEqualTo("山田 一郎");
		assertThat(spa.userInfo(new BearerAccessToken(token.getValue()), null).getStatusCode()).isEqualTo(401);
	}

	@Test
	void introspectionWhenDPoPTokenThenBindingReported() throws Exception {
		AccessToken token = boundToken();
		TokenIntrospectionSuccessResponse introspection = this.batch.introspect(token).toSuccessResponse();
		assertThat(introspection.isActive()).isTrue();
		assertThat(introspection.getJWKThumbprintConfirmation()).isEqualTo(JWKThumbprintConfirmation.of(this.clientKey));
		assertThat(introspection.getTokenType()).isEqualTo(AccessTokenType.DPOP);
	}

	@Test
	void fullAuditWhenTokenUserInfoAndIntrospectionThenEachAudited() throws Exception {
		AccessToken token = boundToken();
		assertThat(this.batch.userInfo(token, this.batch.userInfoProof(this.proofs, token)).getStatusCode())
			.isEqualTo(200);
		assertThat(this.batch.introspect(token).indicatesSuccess()).isTrue();
		AdminApi admin = new AdminApi(this);
		String superAdmin = admin.token("lockout-super", "lockout-super-test-pass");
		for (String type : new String[] { "TOKEN_ISSUED", "USERINFO", "INTROSPECTION" }) {
			JsonNode newest = AdminApi
				.json(admin.get("/admin/api/realms/bound/audit-events?type=" + type + "&limit=1", superAdmin))
				.get("events")
				.get(0);
			assertThat(newest).as(type).isNotNull();
			assertThat(newest.get("clientId").asString()).as(type).isEqualTo("bound-batch");
			assertThat(newest.get("outcome").asString()).as(type).isEqualTo("success");
		}
		// a realm that does not opt into full-audit keeps its trail to logins and changes
		assertThat(AdminApi.json(admin.get("/admin/api/realms/staff/audit-events?type=INTROSPECTION", superAdmin))
			.get("events")).isEmpty();
	}

	@Test
	void lowerZoneRealmWithoutTheRuleWhenNoProofThenBearerTokenAsBefore() throws Exception {
		OidcClient staffBatch = client("staff", "batch", "batch-secret-0123456789");
		TokenResponse bearer = staffBatch.token(new ClientCredentialsGrant(), new Scope("reports.read"));
		assertThat(((AccessTokenResponse) bearer.toSuccessResponse()).getTokens().getAccessToken().getType())
			.isEqualTo(AccessTokenType.BEARER);
		// a client that asks for a bound token gets one, and it is worth nothing without its proof
		TokenResponse bound = staffBatch.token(new ClientCredentialsGrant(), new Scope("reports.read"), this.proofs);
		AccessToken token = ((AccessTokenResponse) bound.toSuccessResponse()).getTokens().getAccessToken();
		assertThat(token).isInstanceOf(DPoPAccessToken.class);
		HTTPResponse asBearer = staffBatch.userInfo(new BearerAccessToken(token.getValue()), null);
		assertThat(asBearer.getStatusCode()).isEqualTo(401);
		assertThat(asBearer.getHeaderValue("WWW-Authenticate")).contains("error=\"invalid_token\"");
	}

	private AccessToken boundToken() throws Exception {
		TokenResponse response = this.batch.token(new ClientCredentialsGrant(), new Scope("openid"),
				this.proofs);
		assertThat(response.indicatesSuccess())
			.as(() -> response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject().toString())
			.isTrue();
		return ((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken();
	}

}
