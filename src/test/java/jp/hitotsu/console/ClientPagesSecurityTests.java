package jp.hitotsu.console;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may use the client and key pages: an administrator without the permission (help
 * desk, auditor) sees a refusal, whatever the page; and no change goes through without
 * the form's CSRF token.
 */
class ClientPagesSecurityTests extends ServerTest {

	private static final String REALM = "/admin/realms/console-clients";

	private static final List<String> PAGES = List.of(REALM + "/clients", REALM + "/clients/new",
			REALM + "/clients/file-app", REALM + "/clients/file-app/edit", REALM + "/keys", REALM + "/keys/rotation");

	@ParameterizedTest
	@CsvSource({ "console-clients-helpdesk", "console-clients-auditor" })
	void administratorWithoutThePermissionIsRefusedEveryPage(String username) {
		Browserless browser = browser();
		HttpResponse<String> realm = ConsoleBrowser.login(browser, base(), REALM, username, username + "-test-pass");
		assertThat(Jsoup.parse(realm.body()).select("nav.account-nav a").eachAttr("href"))
			.doesNotContain(REALM + "/clients", REALM + "/keys");
		for (String page : PAGES) {
			HttpResponse<String> refused = browser.get(uri(page));
			assertThat(refused.statusCode()).as(page).isEqualTo(403);
			assertThat(Jsoup.parse(refused.body()).select("#console-problem").attr("data-code")).as(page)
				.isEqualTo("forbidden");
		}
		Map<String, String> csrf = Browserless.fill(realm, "form.console-user", Map.of()).fields();
		HttpResponse<String> rotation = browser.post(uri(REALM + "/keys/rotation"), csrf);
		assertThat(rotation.statusCode()).isEqualTo(403);
		HttpResponse<String> registration = browser.post(uri(REALM + "/clients/new"),
				Map.of("_csrf", csrf.get("_csrf"), "clientId", "forbidden-app", "redirectUris",
						"https://forbidden-app.example.test/callback", "grantTypes-authorization_code", "on"));
		assertThat(registration.statusCode()).isEqualTo(403);
	}

	@Test
	void changesWithoutTheFormsCsrfTokenAreRefused() {
		Browserless browser = browser();
		ConsoleBrowser.login(browser, base(), REALM + "/keys", "console-keys", "console-keys-test-pass");
		List<String> kids = Jsoup.parse(browser.get(uri(REALM + "/keys")).body()).select("#key-list tbody tr")
			.eachAttr("data-kid");
		for (String form : List.of(REALM + "/clients/new", REALM + "/keys/rotation")) {
			assertThat(Jsoup.parse(browser.get(uri(form)).body()).select("main form[method=post] input[name=_csrf]"))
				.as(form)
				.hasSize(1);
		}
		assertThat(browser.post(uri(REALM + "/keys/rotation"), Map.of()).statusCode()).isEqualTo(403);
		assertThat(browser.post(uri(REALM + "/clients/new"), Map.of("clientId", "forged-app", "redirectUris",
				"https://forged-app.example.test/callback", "grantTypes-authorization_code", "on"))
			.statusCode()).isEqualTo(403);
		assertThat(Jsoup.parse(browser.get(uri(REALM + "/keys")).body()).select("#key-list tbody tr").eachAttr("data-kid"))
			.as("no rotation").isEqualTo(kids);
		assertThat(browser.get(uri(REALM + "/clients/forged-app")).statusCode()).as("no client").isEqualTo(404);
	}

}
