package jp.hitotsu.console;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.KeyboardFocus;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static jp.hitotsu.support.KeyboardFocus.assertFocus;
import static jp.hitotsu.support.KeyboardFocus.assertVisibleFocus;
import static jp.hitotsu.support.KeyboardFocus.focused;
import static jp.hitotsu.support.KeyboardFocus.tabUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's user pages in Chromium, in Japanese and English, axe-core on every page
 * state: an administrator finds one person among many, resets their password (shown once)
 * and that person must choose a new one at the next login; creates an account (a bad field
 * first), corrects and deletes it; ends a person's session, removes their authenticator app
 * and disables them, after which they cannot log in. And the password reset walked with the
 * keyboard alone, focus visible at every stop.
 */
class UserPagesBrowserTests extends ServerTest {

	/** Accounts sharing a name prefix, so that the one sought is among many. */
	static final int CROWD = 150;

	private static boolean crowdCreated;

	@Autowired
	private MessageSource messages;

	private Locale locale;

	private final List<String> report = new ArrayList<>();

	/** The crowd, once per test JVM, through the admin API as a script would. */
	@BeforeEach
	void createCrowd() {
		synchronized (UserPagesBrowserTests.class) {
			if (crowdCreated) {
				return;
			}
			AdminApi admin = new AdminApi(this);
			String token = admin.token("console-users-api", "console-users-api-test-pass");
			for (int i = 1; i <= CROWD; i++) {
				HttpResponse<String> created = admin.postJson("/admin/api/realms/staff/users", token, """
						{"username": "throng-%03d", "familyName": "群衆", "givenName": "%03d"}""".formatted(i, i));
				assertThat(created.statusCode()).as(created::body).isEqualTo(201);
			}
			crowdCreated = true;
		}
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, console-users-ja, users-person-ja, 077", "en-US, console-users-en, users-person-en, 123" })
	void administratorFindsAPersonAmongManyAndLooksAfterAccounts(String languageTag, String admin, String person,
			String number) {
		this.locale = Locale.forLanguageTag(languageTag);
		// the person logs in to the console (holding no admin role): an authenticator app and a session to look after
		ConsoleBrowser.login(browser(), base(), "/admin", person, person + "-test-pass");
		try (BrowserContext context = Chromium.newContext(languageTag)) {
			lookAfterAccounts(context.newPage(), admin, person, number);
		}
		assertThat(this.report).as(() -> String.join("\n", this.report)).isEmpty();
	}

	private void lookAfterAccounts(Page page, String admin, String person, String number) {
		String lang = this.locale.getLanguage();
		ConsoleBrowser.login(page, base(), "/admin/realms/staff/users", admin, admin + "-test-pass");
		axe(page, "search");

		// (1) one among many: the prefix fills a page, the whole username finds the one
		search(page, "throng");
		assertThat(page.locator("#user-list tbody tr")).hasCount(20);
		assertThat(page.locator("#users-next")).isVisible();
		axe(page, "search results");
		String sought = "throng-" + number;
		search(page, sought);
		assertThat(page.locator("#user-list tbody tr")).hasCount(1);
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(sought).setExact(true)).click();
		assertThat(page.locator("h1")).hasText(text("console.user.title", sought));
		assertThat(page.locator("#user-summary")).containsText("群衆 " + number);
		axe(page, "account");

		// (2) a temporary password, shown once; the person must choose a new one at the login
		page.locator("#user-reset-password").click();
		assertThat(page).hasURL(Pattern.compile(".*/users/[0-9a-f-]+/password$"));
		assertThat(page.locator("h1")).hasText(text("console.user.confirm.password.title", "群衆 " + number + " (" + sought + ")"));
		axe(page, "reset password: confirmation");
		page.locator("#confirm-submit").click();
		assertThat(page.locator("#temporary-password")).isVisible();
		assertThat(page.locator("#temporary-password-notice")).isFocused();
		String temporary = page.locator("#temporary-password").textContent().strip();
		assertThat(temporary).matches("[a-z2-9]{5}(-[a-z2-9]{5}){3}");
		axe(page, "temporary password");
		page.reload();
		assertThat(page).hasURL(Pattern.compile(".*/users/[0-9a-f-]+$"));
		assertThat(page.locator("#temporary-password")).hasCount(0);
		HttpResponse<String> login = browser().language(lang).submitLogin(uri("/realms/staff/login"), sought, temporary);
		assertThat(login.statusCode()).as(login::body).isEqualTo(302);
		assertThat(Browserless.location(login).getPath()).isEqualTo("/realms/staff/login/new-password");

		// (3) a new account: a bad field is named next to it, what was typed stays
		page.navigate(base() + "/admin/realms/staff/users");
		page.locator("#user-new").click();
		assertThat(page.locator("h1")).hasText(text("console.user.new.title"));
		axe(page, "new account");
		String made = "made-" + lang;
		page.getByLabel(text("console.user.field.username"), new Page.GetByLabelOptions().setExact(true)).fill(made);
		page.locator("#familyName").fill("新規");
		page.locator("#email").fill("no-at-sign");
		page.locator("#user-form-submit").click();
		assertThat(page.locator("#user-form-errors")).isFocused();
		assertThat(page.locator("#email")).hasAttribute("aria-invalid", "true");
		assertThat(page.locator("#email-error")).isVisible();
		assertThat(page.locator("#username")).hasValue(made);
		assertThat(page.locator("#familyName")).hasValue("新規");
		axe(page, "new account: error");
		page.locator("#email").fill(made + "@example.test");
		page.locator("#user-form-submit").click();
		assertThat(page.locator("#console-notice")).hasText(text("console.user.created", made));
		assertThat(page.locator("h1")).hasText(text("console.user.title", made));
		axe(page, "new account: created");

		// corrected: a kana field refuses Latin letters, then takes katakana
		page.locator("#user-edit").click();
		axe(page, "person data");
		assertThat(page.locator("#givenName")).hasAttribute("required", "required");
		page.locator("#givenName").fill("作子");
		page.locator("#familyNameKana").fill("shinki");
		page.locator("#user-form-submit").click();
		assertThat(page.locator("#familyNameKana")).hasAttribute("aria-invalid", "true");
		axe(page, "person data: error");
		page.locator("#familyNameKana").fill("シンキ");
		page.locator("#user-form-submit").click();
		assertThat(page.locator("#console-notice")).hasText(text("console.user.saved"));
		assertThat(page.locator("#user-person")).containsText("シンキ");

		// deleted, after a question that names the account
		page.locator("#user-delete").click();
		assertThat(page.locator("h1")).containsText(made);
		axe(page, "delete: confirmation");
		page.locator("#confirm-submit").click();
		assertThat(page.locator("#console-notice")).containsText(made);
		assertThat(page.locator("#users-none")).isVisible();
		axe(page, "deleted");

		// (4) the person's session ends, their authenticator app goes, then the account is disabled
		search(page, person);
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(person).setExact(true)).click();
		assertThat(page.locator("#session-list tbody tr")).hasCount(1);
		assertThat(page.locator("#session-list")).containsText("admin-web");
		assertThat(page.locator("#factor-list [data-factor=totp]")).hasCount(1);
		page.locator("#session-list tbody tr a").click();
		assertThat(page).hasURL(Pattern.compile(".*/sessions/end\\?sid=.+"));
		assertThat(page.locator("#session-list tbody tr")).hasCount(1);
		axe(page, "end session: confirmation");
		page.locator("#confirm-submit").click();
		assertThat(page.locator("#console-notice")).isFocused();
		assertThat(page.locator("#sessions-none")).isVisible();
		axe(page, "session ended");

		page.locator("#remove-totp").click();
		axe(page, "remove factor: confirmation");
		page.locator("#confirm-submit").click();
		assertThat(page.locator("#factors-none")).isVisible();

		assertThat(browser().submitLogin(uri("/realms/staff/login"), person, person + "-test-pass").statusCode())
			.as("enabled, the person logs in").isEqualTo(302);
		page.locator("#user-enabled").click();
		assertThat(page.locator("h1")).containsText(person);
		axe(page, "disable: confirmation");
		page.locator("#confirm-submit").click();
		assertThat(page.locator("#user-state")).hasText(text("console.users.disabled"));
		assertThat(page.locator("#user-enabled")).hasText(text("console.user.enable"));
		axe(page, "disabled");
		assertThat(browser().submitLogin(uri("/realms/staff/login"), person, person + "-test-pass").statusCode())
			.as("disabled, the person cannot log in").isEqualTo(401);
	}

	/**
	 * Resetting a password by keyboard alone: Tab to the search box, type, Enter; Tab to the
	 * person, Enter; Tab to "reset the password", Enter; Tab to the confirmation, Enter. Every
	 * stop has a visible focus outline.
	 */
	@ParameterizedTest
	@CsvSource({ "ja-JP, console-users-keys-ja, 031", "en-US, console-users-keys-en, 032" })
	void passwordResetWhenWalkedByKeyboardThenFocusIsVisibleAtEveryStep(String languageTag, String admin,
			String number) {
		this.locale = Locale.forLanguageTag(languageTag);
		try (BrowserContext context = Chromium.newContext(languageTag)) {
			resetPasswordByKeyboard(context.newPage(), admin, "throng-" + number);
		}
	}

	private void resetPasswordByKeyboard(Page page, String admin, String sought) {
		ConsoleBrowser.login(page, base(), "/admin/realms/staff/users", admin, admin + "-test-pass");

		skipToMain(page);
		assertFocus(tabUntil(page, "Tab", (element) -> "q".equals(element.get("id"))), "q")
			.containsEntry("label", text("console.users.search"));
		page.keyboard().type(sought);
		page.keyboard().press("Enter");
		assertThat(page.locator("#user-list tbody tr")).hasCount(1);
		skipToMain(page);
		assertFocus(tabUntil(page, "Tab", (element) -> sought.equals(element.get("text"))), "").containsEntry("tag", "a");
		page.keyboard().press("Enter");
		assertThat(page.locator("h1")).hasText(text("console.user.title", sought));
		skipToMain(page);
		assertFocus(tabUntil(page, "Tab", (element) -> "user-reset-password".equals(element.get("id"))), "user-reset-password")
			.containsEntry("text", text("console.user.reset-password"));
		page.keyboard().press("Enter");
		assertThat(page).hasURL(Pattern.compile(".*/password$"));
		skipToMain(page);
		assertFocus(tabUntil(page, "Tab", (element) -> "confirm-submit".equals(element.get("id"))), "confirm-submit")
			.containsEntry("text", text("console.user.confirm.password.submit"));
		page.keyboard().press("Enter");
		assertThat(page.locator("#temporary-password-notice")).isFocused();
		assertVisibleFocus(focused(page));
		assertThat(page.locator("#temporary-password").textContent()).matches("\\s*[a-z2-9]{5}(-[a-z2-9]{5}){3}\\s*");
		assertFocus(tabUntil(page, "Tab", (element) -> "back-to-user".equals(element.get("id"))), "back-to-user");
		page.keyboard().press("Enter");
		assertThat(page).hasURL(Pattern.compile(".*/users/[0-9a-f-]+$"));
	}

	private void search(Page page, String text) {
		page.getByLabel(text("console.users.search")).fill(text);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(text("console.users.search.submit"))
			.setExact(true)).click();
		assertThat(page.locator("#q")).hasValue(text);
	}

	private void axe(Page page, String name) {
		this.report.addAll(Chromium.axe(page, this.locale.getLanguage() + " " + name));
	}

	private void skipToMain(Page page) {
		KeyboardFocus.skipToMain(page, text("skip.to.content"));
	}

	private String text(String key, Object... arguments) {
		return this.messages.getMessage(key, arguments, this.locale);
	}

}
