package jp.hitotsu.oidc;

import java.net.URI;
import java.net.http.HttpResponse;

import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that requires consent gets the person's answer, asked once. */
class ConsentTests extends ServerTest {

	private static final URI CALLBACK = URI.create("https://consent.example.test/callback");

	private OidcClient consentingApp() {
		return client("staff", "consenting-app", "consenting-app-secret-0123456789");
	}

	/** Logs in and returns the consent page the browser is sent to. */
	private Document consentPage(Browserless browser, OidcClient.Authorization authorization, String language) {
		URI consent = browser.language(language).authorize(authorization.uri(), "suzuki", "suzuki-test-pass");
		assertThat(consent.getPath()).isEqualTo("/consent");
		HttpResponse<String> page = browser.get(consent);
		assertThat(page.statusCode()).isEqualTo(200);
		return Jsoup.parse(page.body(), consent.toString());
	}

	@Test
	void consentWhenAllowedThenCodeIssuedAndNotAskedAgain() {
		Browserless browser = browser();
		OidcClient client = consentingApp();
		OidcClient.Authorization authorization = client.authorization(CALLBACK, "openid profile email");
		Document page = consentPage(browser, authorization, "en");
		assertThat(page.select("h1").text()).contains("consenting-app");
		assertThat(page.select("label").eachText()).contains("Your name and username", "Your e-mail address");

		URI callback = browser.submitAll(page.selectFirst("form.consent-form"));
		assertThat(client.exchange(callback, authorization).getOIDCTokens().getIDToken()).isNotNull();

		OidcClient.Authorization again = client.authorization(CALLBACK, "openid profile");
		assertThat(browser.authorizeLoggedIn(again.uri()).getHost()).as("consent remembered")
			.isEqualTo("consent.example.test");
	}

	@Test
	void consentWhenDeniedThenAccessDeniedAtClient() throws Exception {
		Browserless browser = browser();
		OidcClient.Authorization authorization = consentingApp().authorization(CALLBACK, "openid email");
		Document page = consentPage(browser, authorization, "ja");
		assertThat(page.select("button").eachText()).contains("許可する", "拒否する");
		URI callback = browser.submitAll(page.getElementById("deny-form"));
		AuthenticationErrorResponse error = (AuthenticationErrorResponse) AuthenticationResponseParser.parse(callback);
		assertThat(error.getErrorObject().getCode()).isEqualTo("access_denied");
		assertThat(error.getState()).isEqualTo(authorization.state());
	}

	@Test
	void consentPageWhenStateUnknownThenBadRequest() {
		HttpResponse<String> page = browser().get(uri("/consent?client_id=consenting-app&scope=email&state=forged"));
		assertThat(page.statusCode()).isEqualTo(400);
	}

}
