package jp.hitotsu.oidc;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorization code + PKCE through the real login form, with a Nimbus OAuth 2.0 SDK
 * client that verifies everything against the realm's JWKS.
 */
class AuthorizationCodeFlowTests extends ServerTest {

	private static final URI WEB_APP_CALLBACK = URI.create("https://app.example.test/callback");

	@Test
	void loginWhenValidCredentialsThenTokensVerifyWithRealmJwks() throws Exception {
		OidcClient client = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = client.authorization(WEB_APP_CALLBACK, "openid profile email");

		URI callback = browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass");
		OIDCTokenResponse tokens = client.exchange(callback, authorization);

		JWTClaimsSet id = client.verifyIdToken(tokens.getOIDCTokens().getIDToken(), authorization.nonce());
		assertThat(id.getIssuer()).isEqualTo(base() + "/realms/staff");
		assertThat(id.getAudience()).containsExactly("web-app");
		assertThat(id.getSubject()).matches("[0-9a-f-]{36}").doesNotContain("tanaka");
		assertThat(id.getStringClaim("preferred_username")).isEqualTo("tanaka");
		assertThat(id.getStringClaim("name")).isEqualTo("田中 太郎");
		assertThat(id.getStringClaim("email")).isEqualTo("tanaka@example.test");
		assertThat(id.getBooleanClaim("email_verified")).isTrue();
		assertThat(id.getStringClaim("acr")).isEqualTo("urn:hitotsu:aal1");
		assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
		assertThat(id.getDateClaim("auth_time")).isNotNull();
		assertThat(id.getStringClaim("sid")).isNotBlank();
		// the client may see staff and finance-approver; tanaka holds staff and mail-user
		assertThat(id.getStringListClaim("roles")).containsExactly("staff");
		assertThat(((SignedJWT) tokens.getOIDCTokens().getIDToken()).getHeader().getAlgorithm().getName())
			.isEqualTo("RS256");

		JWTClaimsSet access = client.verifyAccessToken(tokens.getOIDCTokens().getAccessToken().getValue());
		assertThat(access.getSubject()).isEqualTo(id.getSubject());
		assertThat(access.getStringClaim("client_id")).isEqualTo("web-app");
		assertThat(access.getStringListClaim("roles")).containsExactly("staff");
		assertThat(access.getClaims()).doesNotContainKeys("email", "name");

		UserInfoResponse userInfo = client.userInfo(tokens.getOIDCTokens().getAccessToken());
		assertThat(userInfo.indicatesSuccess()).isTrue();
		assertThat(userInfo.toSuccessResponse().getUserInfo().getSubject().getValue()).isEqualTo(id.getSubject());
		assertThat(userInfo.toSuccessResponse().getUserInfo().getEmailAddress()).isEqualTo("tanaka@example.test");
	}

	@Test
	void loginWhenScopeOmitsEmailThenNoEmailClaims() throws Exception {
		OidcClient client = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = client.authorization(WEB_APP_CALLBACK, "openid");
		OIDCTokenResponse tokens = client.exchange(browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"),
				authorization);
		JWTClaimsSet id = client.verifyIdToken(tokens.getOIDCTokens().getIDToken(), authorization.nonce());
		assertThat(id.getClaims()).doesNotContainKeys("email", "email_verified", "given_name");
	}

	@Test
	void publicClientWhenPkceThenTokensIssued() throws Exception {
		OidcClient spa = client("staff", "spa", null);
		OidcClient.Authorization authorization = spa.authorization(URI.create("https://spa.example.test/callback"),
				"openid profile");
		OIDCTokenResponse tokens = spa.exchange(browser().authorize(authorization.uri(), "suzuki", "suzuki-test-pass"),
				authorization);
		assertThat(spa.verifyIdToken(tokens.getOIDCTokens().getIDToken(), authorization.nonce()).getSubject()).isNotBlank();
		assertThat(tokens.getOIDCTokens().getRefreshToken()).as("no refresh token for a public client").isNull();
	}

	@Test
	void publicClientWhenNoPkceThenErrorReturnedToRedirectUri() {
		URI request = uri("/realms/staff/oauth2/authorize?response_type=code&client_id=spa&scope=openid"
				+ "&redirect_uri=https%3A%2F%2Fspa.example.test%2Fcallback&state=xyz");
		URI redirect = browser().authorizeLoggedIn(request);
		ErrorObject error = authorizationError(redirect);
		assertThat(redirect.getHost()).isEqualTo("spa.example.test");
		assertThat(error.getCode()).isEqualTo("invalid_request");
	}

	@Test
	void authorizationWhenRedirectUriUnregisteredThenErrorPageAndNoRedirect() {
		HttpResponse<String> response = browser().get(uri("/realms/staff/oauth2/authorize?response_type=code"
				+ "&client_id=web-app&scope=openid&redirect_uri=https%3A%2F%2Fevil.example%2Fcallback&state=s"));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
		assertThat(response.body()).doesNotContain("evil.example/callback?");
	}

	@Test
	void authorizationWhenClientUnknownThenErrorPageAndNoRedirect() {
		HttpResponse<String> response = browser().get(uri("/realms/staff/oauth2/authorize?response_type=code"
				+ "&client_id=nobody&scope=openid&redirect_uri=https%3A%2F%2Fapp.example.test%2Fcallback"));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
	}

	@Test
	void authorizationWhenScopeNotAllowedThenInvalidScopeAtRedirectUri() {
		OidcClient client = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = client.authorization(WEB_APP_CALLBACK, "openid admin");
		// checked before any login: the browser goes straight back to the client
		URI redirect = browser().authorizeLoggedIn(authorization.uri());
		assertThat(redirect.getHost()).isEqualTo("app.example.test");
		assertThat(authorizationError(redirect).getCode()).isEqualTo("invalid_scope");
	}

	@Test
	void codeWhenUsedTwiceThenSecondExchangeRefused() {
		OidcClient client = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = client.authorization(WEB_APP_CALLBACK, "openid");
		URI callback = browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass");
		assertThat(client.tokenResponse(callback, authorization).indicatesSuccess()).isTrue();
		TokenResponse second = client.tokenResponse(callback, authorization);
		assertThat(second.indicatesSuccess()).isFalse();
		assertThat(second.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
	}

	@Test
	void loginWhenWrongPasswordOrUnknownUserThenSameMessage() {
		Browserless browser = browser();
		URI login = uri("/realms/staff/login");
		HttpResponse<String> wrongPassword = browser.submitLogin(login, "tanaka", "not-the-password");
		HttpResponse<String> unknownUser = browser.submitLogin(login, "nobody-here", "not-the-password");
		HttpResponse<String> disabled = browser.submitLogin(login, "retired", "retired-test-pass");
		for (HttpResponse<String> response : List.of(wrongPassword, unknownUser, disabled)) {
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.body()).contains("ユーザー名またはパスワードが正しくありません。");
		}
	}

	@Test
	void loginWhenAccountDisabledThenNoCode() {
		OidcClient client = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = client.authorization(WEB_APP_CALLBACK, "openid");
		Browserless browser = browser();
		HttpResponse<String> toLogin = browser.get(authorization.uri());
		HttpResponse<String> attempt = browser.submitLogin(Browserless.location(toLogin), "retired",
				"retired-test-pass");
		assertThat(attempt.statusCode()).isEqualTo(401);
		assertThat(attempt.headers().firstValue("Location")).isEmpty();
	}

	@Test
	void loginWhenUsernameDiffersInCaseOrWidthThenSameAccount() {
		HttpResponse<String> response = browser().submitLogin(uri("/realms/staff/login"), "ＴＡＮＡＫＡ",
				"tanaka-test-pass");
		assertThat(response.statusCode()).isEqualTo(302);
	}

	private static ErrorObject authorizationError(URI redirect) {
		try {
			return ((AuthenticationErrorResponse) AuthenticationResponseParser.parse(redirect)).getErrorObject();
		}
		catch (com.nimbusds.oauth2.sdk.ParseException | ClassCastException ex) {
			throw new AssertionError("Expected an error response at the redirect URI, got " + redirect, ex);
		}
	}

}
