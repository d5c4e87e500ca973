package jp.hitotsu.demo;

import java.net.URI;
import java.net.http.HttpResponse;

import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The newcomer's page and the built-in demo client. */
class HomePageTests extends ServerTest {

	@Test
	void homeWhenJapaneseThenRealmsOfTheZoneWithDiscoveryLinks() {
		HttpResponse<String> response = browser().language("ja").get(uri("/"));
		assertThat(response.statusCode()).isEqualTo(200);
		Document page = Jsoup.parse(response.body());
		assertThat(page.select("html").attr("lang")).isEqualTo("ja");
		assertThat(page.select(".realm-card h3").eachText()).anyMatch((text) -> text.contains("職員"))
			.anyMatch((text) -> text.contains("市民"))
			.noneMatch((text) -> text.contains("mynumber"));
		assertThat(page.select("a[href$=/.well-known/openid-configuration]").eachAttr("href"))
			.contains(base() + "/realms/staff/.well-known/openid-configuration");
		assertThat(page.select("#home-admin-console a").attr("href")).as("the way to the admin console")
			.isEqualTo("/admin");
	}

	@Test
	void homeWhenLanguageSwitchedThenEnglishAndRemembered() {
		Browserless browser = browser().language("ja");
		assertThat(Jsoup.parse(browser.get(uri("/?lang=en")).body()).select("h1").text())
			.isEqualTo("Hitotsu identity server");
		assertThat(Jsoup.parse(browser.get(uri("/")).body()).select("html").attr("lang")).isEqualTo("en");
	}

	@Test
	void demoClientWhenLoginCompletedThenShowsVerifiedTokensAndUserInfo() {
		Browserless browser = browser().language("en");
		HttpResponse<String> start = browser.get(uri("/demo/staff/start"));
		URI authorize = Browserless.location(start);
		assertThat(authorize.getPath()).isEqualTo("/realms/staff/oauth2/authorize");
		assertThat(authorize.getQuery()).contains("code_challenge_method=S256").contains("nonce=");

		URI callback = browser.authorize(authorize, "tanaka", "tanaka-test-pass");
		assertThat(callback.getPath()).isEqualTo("/demo/staff/callback");
		Document result = Jsoup.parse(browser.get(callback).body());
		assertThat(result.getElementById("id-token-claims").text()).contains("\"preferred_username\" : \"tanaka\"")
			.contains("\"iss\" : \"" + base() + "/realms/staff\"");
		assertThat(result.getElementById("access-token-claims").text()).contains("\"client_id\" : \"hitotsu-demo\"");
		assertThat(result.getElementById("userinfo").text()).contains("\"name\" : \"田中 太郎\"");
	}

	@Test
	void demoCallbackWhenNoLoginStartedThenExplainsInsteadOfFailing() {
		HttpResponse<String> response = browser().language("en").get(uri("/demo/staff/callback?code=x&state=y"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("No login was started from this browser");
	}

	@Test
	void pagesCarrySecurityHeaders() {
		HttpResponse<String> response = browser().get(uri("/realms/staff/login"));
		assertThat(response.headers().firstValue("Content-Security-Policy").orElse(""))
			.contains("frame-ancestors 'none'")
			.contains("script-src 'self'");
		assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
		assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
	}

}
