package jp.hitotsu.console;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's user pages over HTTP: the help desk resets a password, clears a lock and
 * ends sessions, but is offered no edit, delete or create and is refused them (403) at
 * their URLs; an administrator of another realm is refused the pages; a correction made
 * against a version someone else changed meanwhile is refused with a message, as are a bad
 * field and a username taken; every page about an account carries its protections.
 */
class UserPagesSecurityTests extends ServerTest {

	private static final String USERS = "/admin/realms/staff/users/";

	private final AdminApi admin = new AdminApi(this);

	@Test
	void helpDeskResetsPasswordClearsLockEndsSessionsButNeitherEditsNorDeletesNorCreates() {
		String id = idOf("users-helped");
		// the person logs in (a session), then mistypes the password twice (failures to clear)
		assertThat(browser().submitLogin(uri("/realms/staff/login"), "users-helped", "users-helped-test-pass")
			.statusCode()).isEqualTo(302);
		for (int i = 0; i < 2; i++) {
			assertThat(browser().submitLogin(uri("/realms/staff/login"), "users-helped", "not-the-password").statusCode())
				.isEqualTo(401);
		}
		Browserless browser = browser().language("en");
		HttpResponse<String> page = ConsoleBrowser.login(browser, base(), USERS + id, "console-users-help",
				"console-users-help-test-pass");
		assertThat(page.statusCode()).isEqualTo(200);
		Document user = Jsoup.parse(page.body());
		assertThat(user.select("#user-summary").text()).contains("users-helped", "相談 秋子");
		assertThat(user.select("#user-reset-password, #user-unlock, #sessions-end-all")).hasSize(3);
		assertThat(user.select("#user-person, #user-edit, #user-enabled, #user-delete")).isEmpty();
		assertThat(Jsoup.parse(browser.get(uri("/admin/realms/staff/users?q=users")).body()).select("#user-new"))
			.isEmpty();
		for (String refused : List.of("/admin/realms/staff/users/new", USERS + id + "/edit", USERS + id + "/enabled",
				USERS + id + "/delete")) {
			assertForbidden(refused, browser.get(uri(refused)));
		}
		String csrf = user.select("form input[name=_csrf]").attr("value");
		assertForbidden("POST delete",
				browser.post(uri(USERS + id + "/delete"), Map.of("_csrf", csrf, "version", "0")));
		assertForbidden("POST edit",
				browser.post(uri(USERS + id + "/edit"), Map.of("_csrf", csrf, "version", "0", "familyName", "x")));

		Document unlocked = confirmAndFollow(browser, USERS + id + "/unlock");
		assertThat(unlocked.select("#console-notice").text()).isEqualTo("The lock of 相談 秋子 (users-helped) is cleared.");
		assertThat(unlocked.select("#user-lock").text()).isEqualTo("Not locked; no failed logins.");
		assertThat(unlocked.select("#user-unlock")).isEmpty();

		Document ended = confirmAndFollow(browser, USERS + id + "/sessions/end");
		assertThat(ended.select("#console-notice").text()).contains("Every session");
		assertThat(ended.select("#sessions-none")).hasSize(1);

		HttpResponse<String> reset = browser.submitForm(uri(USERS + id + "/password"), "form.confirm-form", Map.of());
		assertThat(reset.statusCode()).isEqualTo(302);
		URI issued = URI.create(base()).resolve(Browserless.location(reset));
		assertThat(issued.getPath()).isEqualTo(USERS + id + "/password/issued");
		String temporary = Jsoup.parse(browser.get(issued).body()).select("#temporary-password").text();
		assertThat(temporary).matches("[a-z2-9]{5}(-[a-z2-9]{5}){3}");
		HttpResponse<String> again = browser.get(issued);
		assertThat(again.statusCode()).as("shown once").isEqualTo(302);
		assertThat(Browserless.location(again).getPath()).isEqualTo(USERS + id);
		HttpResponse<String> login = browser().submitLogin(uri("/realms/staff/login"), "users-helped", temporary);
		assertThat(Browserless.location(login).getPath()).isEqualTo("/realms/staff/login/new-password");
	}

	@Test
	void administratorOfAnotherRealmIsRefusedThePages() {
		String id = idOf("console-target");
		Browserless browser = browser().language("en");
		HttpResponse<String> realms = ConsoleBrowser.login(browser, base(), "/admin", "console-users-other",
				"console-users-other-test-pass");
		assertThat(realms.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(realms.body()).select("[data-realm]").eachAttr("data-realm")).containsExactly("citizen");
		for (String refused : List.of(USERS + id, USERS + id + "/password", USERS + id + "/sessions/end",
				"/admin/realms/staff/users/new")) {
			assertForbidden(refused, browser.get(uri(refused)));
		}
	}

	@Test
	void everyPageOfAnAccountIsProtectedAndRefusedInputIsShownOnTheForm() {
		String id = idOf("console-target");
		Browserless browser = browser().language("en");
		ConsoleBrowser.login(browser, base(), "/admin", "console-users-crawl", "console-users-crawl-test-pass");
		for (String page : List.of("", "/edit", "/unlock", "/password", "/sessions/end", "/enabled", "/delete",
				"/factors/totp/remove")) {
			ConsoleSecurityTests.assertProtected(USERS + id + page, browser.get(uri(USERS + id + page)));
		}
		HttpResponse<String> noPassword = browser.get(uri(USERS + id + "/password/issued"));
		assertThat(noPassword.statusCode()).as("no password to show").isEqualTo(302);
		assertThat(browser.post(uri(USERS + id + "/unlock"), Map.of()).statusCode()).as("no CSRF token").isEqualTo(403);

		// someone else corrects the person between the form's reading and its saving
		HttpResponse<String> form = browser.get(uri(USERS + id + "/edit"));
		String token = this.admin.token("console-users-api", "console-users-api-test-pass");
		assertThat(this.admin.patchJson("/admin/api/realms/staff/users/" + id, token, "{\"givenName\": \"華子\"}")
			.statusCode()).isEqualTo(200);
		HttpResponse<String> stale = submitAsTyped(browser, form, Map.of("familyNameKana", "タイショウ"));
		assertThat(stale.statusCode()).isEqualTo(412);
		Document refused = Jsoup.parse(stale.body());
		assertThat(refused.select("#user-form-error").text()).startsWith("Someone else changed this person");
		assertThat(refused.select("#familyNameKana").val()).as("what was typed stays").isEqualTo("タイショウ");
		HttpResponse<String> saved = submitAsTyped(browser, browser.get(uri(USERS + id + "/edit")),
				Map.of("familyNameKana", "タイショウ"));
		assertThat(saved.statusCode()).isEqualTo(302);
		Document user = Jsoup.parse(browser.get(URI.create(base()).resolve(Browserless.location(saved))).body());
		assertThat(user.select("#user-person").text()).contains("タイショウ", "華子");

		// a bad field is named next to it, with the status the API gave
		HttpResponse<String> bad = submitAsTyped(browser, browser.get(uri(USERS + id + "/edit")),
				Map.of("phoneNumber", "call me"));
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(bad.body()).select("#phoneNumber-error").text()).contains("phone number");

		// a username taken is said at the username, the rest of the form kept
		HttpResponse<String> taken = submitAsTyped(browser, browser.get(uri("/admin/realms/staff/users/new")),
				Map.of("username", "Console-Target", "familyName", "重複"));
		assertThat(taken.statusCode()).isEqualTo(409);
		Document form409 = Jsoup.parse(taken.body());
		assertThat(form409.select("#username-error").text()).contains("\"staff\"", "Console-Target");
		assertThat(form409.select("#username").attr("aria-invalid")).isEqualTo("true");
		assertThat(form409.select("#familyName").val()).isEqualTo("重複");
	}

	/** Opens an action's question, answers it, and follows the redirect to the account's page. */
	private Document confirmAndFollow(Browserless browser, String action) {
		HttpResponse<String> done = browser.submitForm(uri(action), "form.confirm-form", Map.of());
		assertThat(done.statusCode()).as(action).isEqualTo(302);
		return Jsoup.parse(browser.get(URI.create(base()).resolve(Browserless.location(done))).body());
	}

	/** Posts the user form as a browser would: every field as the page filled it, checked boxes, then the changes. */
	private static HttpResponse<String> submitAsTyped(Browserless browser, HttpResponse<String> page,
			Map<String, String> changes) {
		Element form = Jsoup.parse(page.body(), page.uri().toString()).selectFirst("form.user-form");
		Map<String, String> fields = new LinkedHashMap<>();
		for (Element input : form.select("input[name]")) {
			if (!input.attr("type").equals("checkbox") || input.hasAttr("checked")) {
				fields.put(input.attr("name"), input.attr("value"));
			}
		}
		fields.putAll(changes);
		return browser.post(URI.create(form.absUrl("action")), fields);
	}

	private static void assertForbidden(String what, HttpResponse<String> response) {
		assertThat(response.statusCode()).as(what).isEqualTo(403);
		assertThat(Jsoup.parse(response.body()).select("#console-problem").attr("data-code")).as(what)
			.isEqualTo("forbidden");
	}

	private String idOf(String username) {
		String token = this.admin.token("console-users-api", "console-users-api-test-pass");
		HttpResponse<String> found = this.admin.get("/admin/api/realms/staff/users?q=" + username, token);
		return AdminApi.json(found).get("users").get(0).get("id").stringValue();
	}

}
