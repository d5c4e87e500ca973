package jp.hitotsu.console;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.FormElement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client pages over HTTP, as the form is posted: changing a client keeps what the
 * form does not show, a taken client id is said beside the field, and a realm file's
 * client is shown read only.
 */
class ClientPagesTests extends ServerTest {

	private static final String CLIENTS = "/admin/realms/console-clients/clients";

	@Test
	void clientPagesRegisterChangeAndRefuseAsTheApiSays() {
		Browserless browser = browser().language("en");
		ConsoleBrowser.login(browser, base(), CLIENTS, "console-clients-http", "console-clients-http-test-pass");

		// the realm's rules for clients stand above the form where it has any (DPoP in bound)
		assertThat(Jsoup.parse(browser.get(uri("/admin/realms/bound/clients/new")).body()).select("#client-rules").text())
			.contains("DPoP");
		Document blank = Jsoup.parse(browser.get(uri(CLIENTS + "/new")).body());
		assertThat(blank.select("#client-rules")).isEmpty();
		assertThat(blank.select(".client-form .help")).as("an explanation under every field")
			.hasSize(ClientForm.FIELDS.size());

		HttpResponse<String> registered = post(browser, browser.get(uri(CLIENTS + "/new")), "form.client-form",
				Map.of("clientId", "http-ledger", "name", "Ledger", "redirectUris",
						"https://http-ledger.example.test/callback\n\n https://http-ledger.example.test/other ",
						"scopes", "openid, profile"));
		assertThat(registered.statusCode()).as(() -> errors(registered)).isEqualTo(302);
		HttpResponse<String> shown = browser.get(Browserless.location(registered));
		Document detail = Jsoup.parse(shown.body());
		assertThat(detail.select("#client-secret-value").text()).hasSizeGreaterThan(30);
		assertThat(detail.select("#client-discovery").text())
			.isEqualTo(base() + "/realms/console-clients/.well-known/openid-configuration");
		assertThat(detail.select("#client-details").text()).contains("https://http-ledger.example.test/other",
				"openid profile");
		assertThat(Jsoup.parse(browser.get(Browserless.location(registered)).body()).select("#client-secret"))
			.as("the secret is shown once")
			.isEmpty();

		// a list index where the form has named boxes (a forged post): a refusal, never a 500
		HttpResponse<String> odd = browser.post(uri(CLIENTS + "/new"),
				Map.of("_csrf", Jsoup.parse(browser.get(uri(CLIENTS + "/new")).body()).select("input[name=_csrf]").val(),
						"clientId", "odd-app", "grantTypes[100000]", "authorization_code"));
		assertThat(odd.statusCode()).as(() -> errors(odd)).isEqualTo(400);

		// the same id again: the API's 409, beside the field, with what was typed kept
		HttpResponse<String> taken = post(browser, browser.get(uri(CLIENTS + "/new")), "form.client-form",
				Map.of("clientId", "http-ledger", "name", "Second ledger", "redirectUris",
						"https://http-ledger.example.test/callback"));
		assertThat(taken.statusCode()).isEqualTo(409);
		Document form = Jsoup.parse(taken.body());
		assertThat(form.select("#clientId-error").text()).contains("http-ledger", "console-clients");
		assertThat(form.select("#clientId").attr("aria-invalid")).isEqualTo("true");
		assertThat(form.select("#name").val()).isEqualTo("Second ledger");

		// a bad lifetime and scope: each beside its field, the form as typed
		HttpResponse<String> bad = post(browser, browser.get(uri(CLIENTS + "/http-ledger/edit")), "form.client-form",
				Map.of("accessTokenLifetime", "forever", "scopes", "openid bad\"scope"));
		assertThat(bad.statusCode()).isEqualTo(400);
		Document badForm = Jsoup.parse(bad.body());
		assertThat(badForm.select("#accessTokenLifetime-error").text()).contains("forever");
		assertThat(badForm.select("#scopes-error").text()).contains("bad\"scope");
		assertThat(badForm.select("#client-errors li")).hasSize(2);
		assertThat(badForm.select("#accessTokenLifetime").val()).isEqualTo("forever");

		HttpResponse<String> saved = post(browser, browser.get(uri(CLIENTS + "/http-ledger/edit")), "form.client-form",
				Map.of("name", "Ledger, renamed", "accessTokenLifetime", "2m"));
		assertThat(saved.statusCode()).as(() -> errors(saved)).isEqualTo(302);
		Document after = Jsoup.parse(browser.get(Browserless.location(saved)).body());
		assertThat(after.select("#console-notice").text()).contains("http-ledger");
		assertThat(after.select("#client-name").text()).isEqualTo("Ledger, renamed");
		assertThat(after.select("#client-details").text()).contains("2 min", "https://http-ledger.example.test/other");
	}

	@Test
	void realmFileClientIsShownReadOnly() {
		Browserless browser = browser().language("ja");
		ConsoleBrowser.login(browser, base(), CLIENTS, "console-keys", "console-keys-test-pass");
		Document list = Jsoup.parse(browser.get(uri(CLIENTS)).body());
		assertThat(list.select("tr[data-client-id=file-app]").text()).contains("レルムファイル");
		Document detail = Jsoup.parse(browser.get(uri(CLIENTS + "/file-app")).body());
		assertThat(detail.select("#client-read-only").text()).contains("file-app", "レルムファイル");
		assertThat(detail.select("#client-actions")).isEmpty();
		for (String change : List.of("/edit", "/secret", "/delete")) {
			HttpResponse<String> page = browser.get(uri(CLIENTS + "/file-app" + change));
			assertThat(page.statusCode()).as(change).isEqualTo(200);
			assertThat(Jsoup.parse(page.body()).select("form.client-form, #confirm-submit")).as(change).isEmpty();
		}
		// a forged change anyway: the API's refusal, naming the realm file, as a page
		Map<String, String> csrf = Browserless.fill(browser.get(uri(CLIENTS)), "form.console-user", Map.of()).fields();
		HttpResponse<String> refused = browser.post(uri(CLIENTS + "/file-app/delete"), csrf);
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(Jsoup.parse(refused.body()).select("#console-problem").attr("data-code"))
			.isEqualTo("client-in-realm-file");
		assertThat(browser.get(uri(CLIENTS + "/file-app")).statusCode()).isEqualTo(200);
	}

	static String errors(HttpResponse<String> page) {
		return Jsoup.parse(page.body()).select("main").text();
	}

	/** Posts a form of the page as a browser does (every field as filled), with some fields changed. */
	static HttpResponse<String> post(Browserless browser, HttpResponse<String> page, String selector,
			Map<String, String> changes) {
		assertThat(page.statusCode()).as(page.uri().toString()).isEqualTo(200);
		Document document = Jsoup.parse(page.body(), page.uri().toString());
		FormElement form = (FormElement) document.selectFirst(selector);
		assertThat(form).as(selector + " on " + page.uri()).isNotNull();
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		form.formData()
			.stream()
			.filter((field) -> !changes.containsKey(field.key()))
			.forEach((field) -> fields.add(Map.entry(field.key(), field.value())));
		fields.addAll(changes.entrySet());
		return browser.post(URI.create(form.absUrl("action")), fields);
	}

}
