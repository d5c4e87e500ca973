package jp.hitotsu.selfservice;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.KeyboardFocus;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;

import static jp.hitotsu.support.KeyboardFocus.assertFocus;
import static jp.hitotsu.support.KeyboardFocus.focused;
import static jp.hitotsu.support.KeyboardFocus.focusedAfterLoad;
import static jp.hitotsu.support.KeyboardFocus.tab;
import static jp.hitotsu.support.KeyboardFocus.tabUntil;

/**
 * The main tasks of the pages walked with the keyboard alone (Tab, Shift+Tab, Enter, Space
 * and typing), in Japanese and in English: the login a client asks for (skip link, fields
 * in order, a wrong password), the account console's navigation, a profile change, a
 * password change and logging out the other sessions. At every stop the test checks where
 * focus is and that it is drawn (an outline of at least 2px), as a sighted keyboard user
 * needs; label texts come from the pages' own messages.
 */
class KeyboardWalkBrowserTests extends ServerTest {

	private static final URI CALLBACK = URI.create("https://console-app.example.test/callback");

	/** The account console's navigation, in its order (the console realm lets people sign up, so delete is there). */
	private static final String[] NAVIGATION = { "home", "profile", "password", "security", "sessions",
			"applications", "delete" };

	@Autowired
	private MessageSource messages;

	private Locale locale;

	@ParameterizedTest
	@CsvSource({ "ja-JP, ja", "en-US, en" })
	void mainTasksWhenWalkedByKeyboardThenFocusIsVisibleAndFollowsEveryStep(String languageTag, String lang) {
		this.locale = Locale.forLanguageTag(languageTag);
		try (BrowserContext context = Chromium.newContext(languageTag)) {
			walk(context.newPage(), "keyboard-walker-" + lang, "keyboard walk across the city hall " + lang);
		}
	}

	private void walk(Page page, String username, String newPassword) {
		// the client's page answers, so no failed load of it lands on a later navigation
		page.route((url) -> url.startsWith(CALLBACK.toString()),
				(route) -> route.fulfill(new Route.FulfillOptions().setStatus(200).setBody("console-app")));

		// (1) the login page a client's authorization request leads to
		OidcClient app = client("console", "console-app", "console-app-secret-0123456789");
		page.navigate(app.authorization(CALLBACK, "openid profile").uri().toString());
		expect(page).hasURL(Pattern.compile(".*/realms/console/login$"));
		skipToMain(page);
		assertFocus(tab(page), "username").containsEntry("label", text("login.username"));
		page.keyboard().type(username);
		assertFocus(tab(page), "password").containsEntry("label", text("login.password"));
		page.keyboard().type("not-the-password");
		assertFocus(tab(page), "").containsEntry("tag", "button").containsEntry("text", text("login.submit"));
		page.keyboard().press("Enter");
		// the error is announced (role alert) and holds focus; the next Tab is the username, kept
		PlaywrightAssertions.assertThat(page.locator("#login-error")).hasText(text("login.error.invalid"));
		PlaywrightAssertions.assertThat(page.locator("#login-error")).hasAttribute("role", "alert");
		assertFocus(focusedAfterLoad(page, "login-error"), "login-error");
		assertFocus(tab(page), "username").containsEntry("value", username);
		PlaywrightAssertions.assertThat(page.locator("#password")).hasAttribute("aria-invalid", "true");
		assertFocus(tab(page), "password");
		page.keyboard().type("keyboard-walker-pass");
		page.keyboard().press("Enter");
		PlaywrightAssertions.assertThat(page.locator("form.consent-form")).isVisible();

		// (2) the account console: every navigation entry by Tab, back to the profile by Shift+Tab
		page.navigate(base() + "/realms/console/account");
		expect(page).hasURL(Pattern.compile(".*/realms/console/account$"));
		assertFocus(tab(page), "").containsEntry("skip", true);
		Map<String, Object> stop = tabUntil(page, "Tab", (element) -> Boolean.TRUE.equals(element.get("nav")));
		for (int i = 0; i < NAVIGATION.length; i++) {
			if (i > 0) {
				stop = tab(page);
			}
			assertFocus(stop, "").containsEntry("nav", true)
				.containsEntry("text", text("account.nav." + NAVIGATION[i]));
		}
		navigateBack(page, "profile");
		page.keyboard().press("Enter");
		expect(page).hasURL(Pattern.compile(".*/realms/console/account/profile$"));
		skipToMain(page);
		assertFocus(tabUntil(page, "Tab", (element) -> "phoneNumber".equals(element.get("id"))), "phoneNumber")
			.containsEntry("label", this.messages.getMessage("register.optional",
					new Object[] { text("register.field.phoneNumber") }, this.locale));
		page.keyboard().press("ControlOrMeta+A");
		page.keyboard().type("+81 3 9876 5432");
		assertFocus(tabUntil(page, "Tab", (element) -> "button".equals(element.get("tag"))), "")
			.containsEntry("text", text("profile.save"));
		page.keyboard().press("Enter");
		PlaywrightAssertions.assertThat(page.locator("#profile-saved")).hasText(text("profile.saved"));
		assertFocus(focusedAfterLoad(page, "profile-saved"), "profile-saved");
		PlaywrightAssertions.assertThat(page.locator("#phoneNumber")).hasValue("+81398765432");

		// (3) the password, from the saved notice back up the navigation
		navigateBack(page, "password");
		page.keyboard().press("Enter");
		expect(page).hasURL(Pattern.compile(".*/realms/console/account/password$"));
		skipToMain(page);
		assertFocus(tab(page), "currentPassword").containsEntry("label", text("password.current"));
		page.keyboard().type("keyboard-walker-pass");
		assertFocus(tab(page), "newPassword").containsEntry("label", text("password.new"));
		page.keyboard().type(newPassword);
		assertFocus(tab(page), "confirmation").containsEntry("label", text("password.confirmation"));
		page.keyboard().type(newPassword);
		assertFocus(tab(page), "").containsEntry("tag", "button").containsEntry("text", text("account-password.submit"));
		page.keyboard().press("Space");
		PlaywrightAssertions.assertThat(page.locator("#password-changed")).hasText(text("account-password.changed"));
		assertFocus(focusedAfterLoad(page, "password-changed"), "password-changed");

		// (4) another browser logs in with the new password; this one logs it out through the confirmation
		browser().authorize(app.authorization(CALLBACK, "openid").uri(), username, newPassword);
		navigateBack(page, "sessions");
		page.keyboard().press("Enter");
		expect(page).hasURL(Pattern.compile(".*/realms/console/account/sessions$"));
		PlaywrightAssertions.assertThat(page.locator("#session-list tbody tr")).hasCount(2);
		skipToMain(page);
		assertFocus(tabUntil(page, "Tab", (element) -> "sessions-end-others".equals(element.get("id"))),
				"sessions-end-others")
			.containsEntry("text", text("sessions.end-others"));
		page.keyboard().press("Enter");
		expect(page).hasURL(Pattern.compile(".*/realms/console/account/sessions/end$"));
		skipToMain(page);
		assertFocus(tab(page), "").containsEntry("tag", "button").containsEntry("text", text("sessions.confirm.submit"));
		page.keyboard().press("Enter");
		PlaywrightAssertions.assertThat(page.locator("#sessions-ended"))
			.hasText(this.messages.getMessage("sessions.ended", new Object[] { 1 }, this.locale));
		assertFocus(focusedAfterLoad(page, "sessions-ended"), "sessions-ended");
		PlaywrightAssertions.assertThat(page.locator("#session-list tbody tr")).hasCount(1);
	}

	private void skipToMain(Page page) {
		KeyboardFocus.skipToMain(page, text("skip.to.content"));
	}

	/** Shift+Tab from wherever focus is up to the named navigation entry. */
	private void navigateBack(Page page, String entry) {
		String name = text("account.nav." + entry);
		assertFocus(tabUntil(page, "Shift+Tab",
				(element) -> Boolean.TRUE.equals(element.get("nav")) && name.equals(element.get("text"))), "")
			.containsEntry("text", name);
	}

	private String text(String key) {
		return this.messages.getMessage(key, null, this.locale);
	}

	private static com.microsoft.playwright.assertions.PageAssertions expect(Page page) {
		return PlaywrightAssertions.assertThat(page);
	}

}
