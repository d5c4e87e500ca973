package jp.hitotsu.oidc;

import java.net.URI;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7662 introspection and RFC 7009 revocation. */
class IntrospectionAndRevocationTests extends ServerTest {

	private OidcClient batch() {
		return client("staff", "batch", "batch-secret-0123456789");
	}

	private AccessToken clientToken(OidcClient client) {
		return client.token(new ClientCredentialsGrant(), new com.nimbusds.oauth2.sdk.Scope("reports.read")).toSuccessResponse().getTokens().getAccessToken();
	}

	@Test
	void introspectWhenActiveThenClaims() {
		OidcClient batch = batch();
		TokenIntrospectionSuccessResponse response = batch.introspect(clientToken(batch)).toSuccessResponse();
		assertThat(response.isActive()).isTrue();
		assertThat(response.getClientID().getValue()).isEqualTo("batch");
		assertThat(response.getScope().toStringList()).contains("reports.read");
		assertThat(response.getIssuer().getValue()).isEqualTo(base() + "/realms/staff");
	}

	@Test
	void introspectWhenExpiredThenInactive() throws Exception {
		OidcClient shortLived = client("staff", "short-lived", "short-lived-secret-0123456789");
		AccessToken token = clientToken(shortLived);
		assertThat(shortLived.introspect(token).toSuccessResponse().isActive()).isTrue();
		Thread.sleep(2500);
		assertThat(shortLived.introspect(token).toSuccessResponse().isActive()).isFalse();
	}

	@Test
	void introspectWhenRevokedThenInactive() {
		OidcClient batch = batch();
		AccessToken token = clientToken(batch);
		assertThat(batch.revoke(token).getStatusCode()).isEqualTo(200);
		assertThat(batch.introspect(token).toSuccessResponse().isActive()).isFalse();
	}

	@Test
	void introspectWhenGarbageThenInactive() {
		assertThat(batch().introspect(new BearerAccessToken("no-such-token")).toSuccessResponse().isActive()).isFalse();
	}

	@Test
	void introspectWhenTokenOfAnotherRealmThenInactive() {
		AccessToken staffToken = clientToken(batch());
		OidcClient portal = client("citizen", "portal", "portal-secret-0123456789");
		assertThat(portal.introspect(staffToken).toSuccessResponse().isActive()).isFalse();
	}

	@Test
	void introspectWhenClientSecretWrongThenInvalidClient() throws Exception {
		AccessToken token = clientToken(batch());
		OidcClient wrong = client("staff", "batch", "wrong-secret");
		assertThat(wrong.introspect(token).indicatesSuccess()).isFalse();
		assertThat(wrong.introspect(token).toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(401);
	}

	@Test
	void revokeWhenRefreshTokenThenRefreshRefusedAndAccessTokenInactive() {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = webApp.authorization(URI.create("https://app.example.test/callback"),
				"openid");
		Tokens tokens = webApp.exchange(browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"),
				authorization)
			.getOIDCTokens();
		assertThat(webApp.revoke(tokens.getRefreshToken()).getStatusCode()).isEqualTo(200);
		assertThat(webApp.refresh(tokens.getRefreshToken()).indicatesSuccess()).isFalse();
		assertThat(webApp.introspect(tokens.getAccessToken()).toSuccessResponse().isActive()).isFalse();
	}

	@Test
	void revokeWhenAccessTokenAlreadyUsedThenRefusedAtOnce() {
		// the first uses keep the grant in memory; revocation must still take effect at once
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = webApp.authorization(URI.create("https://app.example.test/callback"),
				"openid");
		Tokens tokens = webApp.exchange(browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"),
				authorization)
			.getOIDCTokens();
		assertThat(webApp.introspect(tokens.getAccessToken()).toSuccessResponse().isActive()).isTrue();
		assertThat(webApp.userInfo(tokens.getAccessToken()).indicatesSuccess()).isTrue();
		assertThat(webApp.introspect(tokens.getAccessToken()).toSuccessResponse().isActive()).isTrue();

		assertThat(webApp.revoke(tokens.getAccessToken()).getStatusCode()).isEqualTo(200);
		assertThat(webApp.introspect(tokens.getAccessToken()).toSuccessResponse().isActive()).isFalse();
		assertThat(webApp.userInfo(tokens.getAccessToken()).indicatesSuccess()).isFalse();
	}

	@Test
	void refreshWhenAccessTokenAlreadyUsedThenReplacedTokenInactive() {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = webApp.authorization(URI.create("https://app.example.test/callback"),
				"openid");
		Tokens tokens = webApp.exchange(browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"),
				authorization)
			.getOIDCTokens();
		assertThat(webApp.userInfo(tokens.getAccessToken()).indicatesSuccess()).isTrue();

		Tokens refreshed = webApp.refresh(tokens.getRefreshToken()).toSuccessResponse().getTokens();
		assertThat(webApp.introspect(tokens.getAccessToken()).toSuccessResponse().isActive()).isFalse();
		assertThat(webApp.userInfo(tokens.getAccessToken()).indicatesSuccess()).isFalse();
		assertThat(webApp.userInfo(refreshed.getAccessToken()).indicatesSuccess()).isTrue();
	}

	@Test
	void revokeWhenUnknownTokenThenOkPerRfc7009() {
		assertThat(batch().revoke(new BearerAccessToken("no-such-token")).getStatusCode()).isEqualTo(200);
	}

}
