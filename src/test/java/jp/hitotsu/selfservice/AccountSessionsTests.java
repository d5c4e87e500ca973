package jp.hitotsu.selfservice;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account console's sessions page over HTTP: a person logged in from several browsers
 * sees each, and logs out one of the others, or all of them, after a confirmation; the
 * browser logged out must log in again and its application's tokens end.
 */
class AccountSessionsTests extends ServerTest {

	private static final String SESSIONS = "/realms/console/account/sessions";

	private static final URI CALLBACK = URI.create("https://console-app.example.test/callback");

	private static final String FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

	private static final String SAFARI_ON_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) "
			+ "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

	@Autowired
	AuditTrail audit;

	@Autowired
	JdbcClient jdbc;

	@Test
	void endOneWhenConfirmedThenThatBrowserIsLoggedOutAndItsApplicationsTokensEnd() {
		Browserless desk = browser().language("en").userAgent(FIREFOX_ON_WINDOWS);
		desk.submitLogin(uri("/realms/console/login"), "console-sessions", "console-sessions-pass");
		// on the phone, the person also let the application in
		Browserless phone = browser().language("en").userAgent(SAFARI_ON_IPHONE);
		OidcClient app = client("console", "console-app", "console-app-secret-0123456789");
		OidcClient.Authorization authorization = app.authorization(CALLBACK, "openid profile");
		URI consent = phone.authorize(authorization.uri(), "console-sessions", "console-sessions-pass");
		Document consentPage = Jsoup.parse(phone.get(consent).body(), consent.toString());
		RefreshToken refresh = app.exchange(phone.submitAll(consentPage.selectFirst("form.consent-form")), authorization)
			.getOIDCTokens()
			.getRefreshToken();

		Document list = page(desk, SESSIONS);
		assertThat(list.select("#session-list tbody tr")).hasSize(2);
		Element mine = list.selectFirst("#session-list tr.current");
		assertThat(mine.select("td").get(0).text()).isEqualTo("Firefox on Windows");
		assertThat(mine.select("td").get(0).attr("title")).isEqualTo(FIREFOX_ON_WINDOWS);
		assertThat(mine.select("td").last().text()).as("no logout button for the browser in use").isEqualTo("This browser");
		Element other = list.selectFirst("#session-list tbody tr:not(.current)");
		assertThat(other.select("td").eachText()).first().isEqualTo("Safari on iOS");
		assertThat(other.select("td").get(4).text()).isEqualTo("市民ポータル");

		// the confirmation changes nothing
		URI confirm = URI.create(other.selectFirst("a").attr("abs:href"));
		HttpResponse<String> confirmation = desk.get(confirm);
		assertThat(Jsoup.parse(confirmation.body()).select("h1").text()).isEqualTo("Log out this session?");
		assertThat(Jsoup.parse(confirmation.body()).select("#ending-list tbody td").first().text())
			.isEqualTo("Safari on iOS");
		assertThat(phone.get(uri("/realms/console/account")).statusCode()).isEqualTo(200);

		HttpResponse<String> ended = desk.submit(confirmation, "form.end-sessions-form", Map.of());
		assertThat(ended.statusCode()).isEqualTo(302);
		Document after = page(desk, Browserless.location(ended).toString().replaceFirst("^https?://[^/]+", ""));
		assertThat(after.select("#sessions-ended").text()).isEqualTo("One session has been logged out.");
		assertThat(after.select("#session-list tbody tr")).hasSize(1);

		assertThat(Browserless.location(phone.get(uri("/realms/console/account"))).getPath())
			.as("the phone must log in again")
			.isEqualTo("/realms/console/login");
		TokenResponse refused = app.refresh(refresh);
		assertThat(((TokenErrorResponse) refused).getErrorObject().getCode()).isEqualTo("invalid_grant");
		String subject = Accounts.subjectOf(this.jdbc, "console", "console-sessions");
		assertThat(this.audit.newest("console", AuditEventType.LOGOUT, subject, 1).get(0).event().details())
			.containsEntry("reason", "ended-by-owner");
		assertThat(desk.get(uri("/realms/console/account")).statusCode()).as("the desk stays logged in").isEqualTo(200);
	}

	@Test
	void endOthersWhenConfirmedThenOnlyThisBrowserStaysLoggedIn() {
		Browserless here = browser().language("ja");
		here.submitLogin(uri("/realms/console/login"), "console-sessions-others", "console-sessions-pass");
		Browserless first = browser();
		first.submitLogin(uri("/realms/console/login"), "console-sessions-others", "console-sessions-pass");
		Browserless second = browser();
		second.submitLogin(uri("/realms/console/login"), "console-sessions-others", "console-sessions-pass");

		Document list = page(here, SESSIONS);
		assertThat(list.select("#session-list tbody tr")).hasSize(3);
		assertThat(list.select("#session-list tr.current td").first().text()).isEqualTo("不明なブラウザー");
		HttpResponse<String> confirmation = here.get(URI.create(uri(SESSIONS) + "/end"));
		Document confirmPage = Jsoup.parse(confirmation.body());
		assertThat(confirmPage.select("h1").text()).isEqualTo("ほかのセッションをすべてログアウトしますか?");
		assertThat(confirmPage.select("#ending-list tbody tr")).hasSize(2);

		HttpResponse<String> ended = here.submit(confirmation, "form.end-sessions-form", Map.of());
		Document after = page(here, Browserless.location(ended).toString().replaceFirst("^https?://[^/]+", ""));
		assertThat(after.select("#sessions-ended").text()).isEqualTo("2 件のセッションをログアウトしました。");
		assertThat(after.select("#session-list tbody tr")).hasSize(1);
		assertThat(after.select("#sessions-end-others")).as("nothing else to log out").isEmpty();
		for (Browserless gone : new Browserless[] { first, second }) {
			assertThat(Browserless.location(gone.get(uri("/realms/console/account"))).getPath())
				.isEqualTo("/realms/console/login");
		}
	}

	@Test
	void endWhenSessionIsUnknownOrInUseThenRefusedWithTheReason() {
		Browserless browser = browser().language("en");
		browser.submitLogin(uri("/realms/console/login"), "console-browser-en", "console-browser-pass");
		HttpResponse<String> unknown = browser.get(URI.create(uri(SESSIONS) + "/end?sid=nobody"));
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(Jsoup.parse(unknown.body()).select("#sessions-error").text())
			.isEqualTo("That session is not logged in to your account (it may have ended already).");

		Document list = page(browser, SESSIONS);
		String current = list.selectFirst("#session-list tr.current").attr("data-sid");
		String csrf = list.select("meta[name=csrf-token]").attr("content");
		HttpResponse<String> inUse = browser.post(URI.create(uri(SESSIONS) + "/end"), Map.of("sid", current, "_csrf", csrf));
		assertThat(inUse.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(inUse.body()).select("#sessions-error").text())
			.isEqualTo("That is the session you are using: log out to end it.");
		assertThat(browser.get(uri("/realms/console/account")).statusCode()).isEqualTo(200);
	}

	private Document page(Browserless browser, String path) {
		HttpResponse<String> page = browser.get(uri(path));
		assertThat(page.statusCode()).as(path).isEqualTo(200);
		return Jsoup.parse(page.body(), uri(path).toString());
	}

}
