package jp.hitotsu.oidc;

import java.net.URI;
import java.net.http.HttpResponse;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Realms share nothing: tokens, clients, logins and keys stay in their realm. */
class RealmIsolationTests extends ServerTest {

	private AccessToken staffUserToken() {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = webApp.authorization(URI.create("https://app.example.test/callback"),
				"openid profile");
		return webApp.exchange(browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"), authorization)
			.getOIDCTokens()
			.getAccessToken();
	}

	@Test
	void userInfoWhenTokenOfAnotherRealmThen401() {
		OidcClient portal = client("citizen", "portal", "portal-secret-0123456789");
		UserInfoResponse response = portal.userInfo(staffUserToken());
		assertThat(response.indicatesSuccess()).isFalse();
		assertThat(response.toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(401);
	}

	@Test
	void accessTokenOfOneRealmDoesNotVerifyWithAnotherRealmsJwks() {
		AccessToken token = staffUserToken();
		OidcClient portal = client("citizen", "portal", "portal-secret-0123456789");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> portal.verifyAccessToken(token.getValue()))
			.isInstanceOf(Exception.class);
	}

	@Test
	void clientOfOneRealmIsUnknownAtAnother() throws Exception {
		TokenResponse response = client("citizen", "batch", "batch-secret-0123456789").token(new ClientCredentialsGrant());
		assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_client");
		assertThat(response.toHTTPResponse().getStatusCode()).isEqualTo(401);
	}

	@Test
	void loginToOneRealmIsNotLoginToAnother() {
		Browserless browser = browser();
		HttpResponse<String> login = browser.submitLogin(uri("/realms/staff/login"), "tanaka", "tanaka-test-pass");
		assertThat(login.statusCode()).isEqualTo(302);

		OidcClient staffClient = client("staff", "web-app", "web-app-secret-0123456789");
		URI staffRedirect = browser.authorizeLoggedIn(
				staffClient.authorization(URI.create("https://app.example.test/callback"), "openid").uri());
		assertThat(staffRedirect.getHost()).as("logged in to staff: straight back with a code").isEqualTo("app.example.test");

		OidcClient citizenClient = client("citizen", "portal", "portal-secret-0123456789");
		URI citizenRedirect = browser.authorizeLoggedIn(
				citizenClient.authorization(URI.create("https://portal.example.test/callback"), "openid").uri());
		assertThat(citizenRedirect.getPath()).as("not logged in to citizen").isEqualTo("/realms/citizen/login");
	}

	@Test
	void realmOfAnotherZoneIsNotFound() {
		HttpResponse<String> discovery = browser().get(uri("/realms/mynumber/.well-known/openid-configuration"));
		assertThat(discovery.statusCode()).isEqualTo(404);
		HttpResponse<String> login = browser().get(uri("/realms/mynumber/login"));
		assertThat(login.statusCode()).isEqualTo(404);
	}

	@Test
	void unknownRealmIsNotFoundAsJsonForProgramsAndAPageForBrowsers() throws Exception {
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		HttpResponse<String> json = http.send(java.net.http.HttpRequest.newBuilder(uri("/realms/bogus/oauth2/token"))
			.header("Accept", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(json.statusCode()).isEqualTo(404);
		assertThat(json.body()).contains("\"error\":\"not_found\"").contains("bogus");

		HttpResponse<String> page = browser().language("en").get(uri("/realms/bogus/oauth2/authorize?client_id=x"));
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
		assertThat(org.jsoup.Jsoup.parse(page.body()).text()).contains("No realm \"bogus\" is served here.");

		HttpResponse<String> metadata = browser().get(uri("/.well-known/oauth-authorization-server/realms/bogus"));
		assertThat(metadata.statusCode()).isEqualTo(404);
	}

}
