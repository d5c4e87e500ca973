package jp.hitotsu.selfservice;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;

import static org.assertj.core.api.Assertions.assertThat;

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

	/** More Tab presses than any walked page has stops before the one sought. */
	private static final int MOST_STOPS = 30;

	private static final String FOCUSED = """
			() => {
			  const e = document.activeElement;
			  const style = getComputedStyle(e);
			  return {
			    id: e.id, tag: e.tagName.toLowerCase(), skip: e.classList.contains('skip-link'),
			    nav: e.closest('nav.account-nav') !== null,
			    text: (e.innerText || '').trim(),
			    label: e.labels && e.labels.length ? e.labels[0].innerText.trim() : '',
			    value: e.value === undefined ? '' : e.value,
			    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)
			  };
			}""";

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

	/** The first Tab stop of a page is its skip link, and Enter on it moves focus to main. */
	private void skipToMain(Page page) {
		// a key pressed before the new page has loaded would go to the old one
		page.waitForLoadState();
		assertFocus(tab(page), "").containsEntry("skip", true).containsEntry("text", text("skip.to.content"));
		page.keyboard().press("Enter");
		assertFocus(focused(page), "main");
	}

	/** Shift+Tab from wherever focus is up to the named navigation entry. */
	private void navigateBack(Page page, String entry) {
		String name = text("account.nav." + entry);
		assertFocus(tabUntil(page, "Shift+Tab",
				(element) -> Boolean.TRUE.equals(element.get("nav")) && name.equals(element.get("text"))), "")
			.containsEntry("text", name);
	}

	/** Presses the key until the focused element matches, checking that every stop on the way is drawn. */
	private static Map<String, Object> tabUntil(Page page, String key, Predicate<Map<String, Object>> sought) {
		for (int i = 0; i < MOST_STOPS; i++) {
			page.keyboard().press(key);
			Map<String, Object> element = focused(page);
			if (sought.test(element)) {
				return element;
			}
			assertVisibleFocus(element);
		}
		throw new AssertionError(key + " pressed " + MOST_STOPS + " times on " + page.url()
				+ " never reached the element sought; last " + focused(page));
	}

	private static Map<String, Object> tab(Page page) {
		page.keyboard().press("Tab");
		return focused(page);
	}

	/** A page that moves focus itself does so once loaded (autofocus): wait for it, then look. */
	private static Map<String, Object> focusedAfterLoad(Page page, String id) {
		PlaywrightAssertions.assertThat(page.locator("#" + id)).isFocused();
		return focused(page);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> focused(Page page) {
		return (Map<String, Object>) page.evaluate(FOCUSED);
	}

	private static org.assertj.core.api.MapAssert<String, Object> assertFocus(Map<String, Object> element, String id) {
		assertThat(element).as("focused element").containsEntry("id", id);
		assertVisibleFocus(element);
		return assertThat(element).as("focused element");
	}

	private static void assertVisibleFocus(Map<String, Object> element) {
		assertThat(element.get("outlineStyle")).as(() -> "outline style of the focused " + element).isNotEqualTo("none");
		assertThat(((Number) element.get("outlineWidth")).doubleValue()).as(() -> "outline width of the focused " + element)
			.isGreaterThanOrEqualTo(2.0);
	}

	private String text(String key) {
		return this.messages.getMessage(key, null, this.locale);
	}

	private static com.microsoft.playwright.assertions.PageAssertions expect(Page page) {
		return PlaywrightAssertions.assertThat(page);
	}

}
