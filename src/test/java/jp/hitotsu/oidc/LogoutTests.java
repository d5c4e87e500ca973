package jp.hitotsu.oidc;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), per realm. */
class LogoutTests extends ServerTest {

	private static final URI CALLBACK = URI.create("https://app.example.test/callback");

	private static final String POST_LOGOUT = "https://app.example.test/logged-out";

	private OidcClient webApp() {
		return client("staff", "web-app", "web-app-secret-0123456789");
	}

	private OIDCTokens login(Browserless browser, OidcClient client) {
		OidcClient.Authorization authorization = client.authorization(CALLBACK, "openid");
		return client.exchange(browser.authorize(authorization.uri(), "tanaka", "tanaka-test-pass"), authorization)
			.getOIDCTokens();
	}

	private URI endSession(OidcClient client, OIDCTokens tokens, String postLogout, String state) {
		StringBuilder uri = new StringBuilder(client.provider().getEndSessionEndpointURI().toString())
			.append("?id_token_hint=")
			.append(tokens.getIDTokenString());
		if (postLogout != null) {
			uri.append("&post_logout_redirect_uri=").append(URLEncoder.encode(postLogout, StandardCharsets.UTF_8));
		}
		if (state != null) {
			uri.append("&state=").append(state);
		}
		return URI.create(uri.toString());
	}

	@Test
	void logoutWhenRegisteredPostLogoutUriThenRedirectedWithStateAndLoggedOut() {
		Browserless browser = browser();
		OidcClient client = webApp();
		OIDCTokens tokens = login(browser, client);
		assertThat(client.userInfo(tokens.getAccessToken()).indicatesSuccess()).isTrue();

		HttpResponse<String> logout = browser.get(endSession(client, tokens, POST_LOGOUT, "af0ifjsldkj"));
		assertThat(logout.statusCode()).isEqualTo(302);
		assertThat(Browserless.location(logout)).isEqualTo(URI.create(POST_LOGOUT + "?state=af0ifjsldkj"));

		URI next = browser.authorizeLoggedIn(client.authorization(CALLBACK, "openid").uri());
		assertThat(next.getPath()).as("the realm login has ended").isEqualTo("/realms/staff/login");
		assertThat(client.refresh(tokens.getRefreshToken()).indicatesSuccess())
			.as("grants of the ended session are revoked").isFalse();
		assertThat(client.userInfo(tokens.getAccessToken()).indicatesSuccess())
			.as("its access token, used before, is refused at once").isFalse();
	}

	@Test
	void logoutWhenNoStateThenRedirectedWithoutState() {
		Browserless browser = browser();
		OidcClient client = webApp();
		HttpResponse<String> logout = browser.get(endSession(client, login(browser, client), POST_LOGOUT, null));
		assertThat(Browserless.location(logout)).isEqualTo(URI.create(POST_LOGOUT));
	}

	@Test
	void logoutWhenPostLogoutUriNotRegisteredThenErrorAndNoRedirect() {
		Browserless browser = browser();
		OidcClient client = webApp();
		OIDCTokens tokens = login(browser, client);
		HttpResponse<String> logout = browser.get(endSession(client, tokens, "https://evil.example/", null));
		assertThat(logout.statusCode()).isEqualTo(400);
		assertThat(logout.headers().firstValue("Location")).isEmpty();
		URI next = browser.authorizeLoggedIn(client.authorization(CALLBACK, "openid").uri());
		assertThat(next.getHost()).as("still logged in").isEqualTo("app.example.test");
	}

	@Test
	void logoutWhenNoPostLogoutUriThenLoggedOutPageOfTheRealm() {
		Browserless browser = browser();
		OidcClient client = webApp();
		HttpResponse<String> logout = browser.get(endSession(client, login(browser, client), null, null));
		assertThat(Browserless.location(logout).getPath()).isEqualTo("/realms/staff/login");
		HttpResponse<String> page = browser.get(Browserless.location(logout));
		assertThat(page.body()).contains("ログアウトしました");
	}

	@Test
	void logoutOfOneRealmKeepsTheOtherRealmsLogin() {
		Browserless browser = browser();
		OidcClient staff = webApp();
		OIDCTokens staffTokens = login(browser, staff);
		OidcClient portal = client("citizen", "portal", "portal-secret-0123456789");
		URI portalCallback = URI.create("https://portal.example.test/callback");
		OidcClient.Authorization citizenLogin = portal.authorization(portalCallback, "openid");
		portal.exchange(browser.authorize(citizenLogin.uri(), "yamada", "yamada-test-pass"), citizenLogin);

		browser.get(endSession(staff, staffTokens, POST_LOGOUT, null));

		URI citizenAgain = browser.authorizeLoggedIn(portal.authorization(portalCallback, "openid").uri());
		assertThat(citizenAgain.getHost()).as("citizen login untouched").isEqualTo("portal.example.test");
		URI staffAgain = browser.authorizeLoggedIn(staff.authorization(CALLBACK, "openid").uri());
		assertThat(staffAgain.getPath()).isEqualTo("/realms/staff/login");
	}

	@Test
	void logoutWhenIdTokenHintForged() {
		HttpResponse<String> logout = browser().get(uri("/realms/staff/connect/logout?id_token_hint=eyJhbGciOiJub25lIn0.e30."
				+ "&post_logout_redirect_uri=" + URLEncoder.encode(POST_LOGOUT, StandardCharsets.UTF_8)));
		assertThat(logout.statusCode()).isEqualTo(400);
		assertThat(logout.headers().firstValue("Location")).isEmpty();
	}

}
