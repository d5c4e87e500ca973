package jp.hitotsu.selfservice;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account console in Chromium, in Japanese and in English: home, profile (a bad phone
 * number, then saved), applications and a revoke through its confirmation, every state
 * checked by axe-core.
 */
class AccountConsoleBrowserTests extends ServerTest {

	private static final URI CALLBACK = URI.create("https://console-app.example.test/callback");

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@ParameterizedTest
	@CsvSource({
			"ja-JP, ja, ユーザー名, パスワード, ログイン, プロフィール, 電話番号（任意）, 保存する, アプリケーション, 市民ポータル の許可を取り消す, 利用許可を取り消す, ログイン中の端末, ほかのセッションをすべてログアウト, ログアウト",
			"en-US, en, Username, Password, Log in, Profile, Phone number (optional), Save, Applications, Revoke 市民ポータル, Revoke access, Where you are logged in, Log out all other sessions, Log out" })
	void consoleWhenWalkedThenWorksAndHasNoAccessibilityViolations(String locale, String lang, String usernameLabel,
			String passwordLabel, String logIn, String profile, String phoneLabel, String save, String applications,
			String revokeNamed, String confirmRevoke, String sessions, String endOthers, String confirmEnd) {
		String username = "console-chromium-" + lang;
		consentToTheApp(username);
		this.context = Chromium.newContext(locale);
		Page page = this.context.newPage();
		List<String> report = new ArrayList<>();

		page.navigate(base() + "/realms/console/account");
		page.getByLabel(usernameLabel, new Page.GetByLabelOptions().setExact(true)).fill(username);
		page.getByLabel(passwordLabel, new Page.GetByLabelOptions().setExact(true)).fill("console-chromium-pass");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(logIn).setExact(true)).click();
		expect(page).hasURL(Pattern.compile(".*/realms/console/account$"));
		PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", lang);
		PlaywrightAssertions.assertThat(page.locator("#account-owner")).containsText(username);
		report.addAll(Chromium.axe(page, "home"));

		page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions()
			.setName(profile).setExact(true)).click();
		expect(page).hasURL(Pattern.compile(".*/realms/console/account/profile$"));
		report.addAll(Chromium.axe(page, "profile"));

		page.getByLabel(phoneLabel, new Page.GetByLabelOptions().setExact(true)).fill("12345");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(save)).click();
		PlaywrightAssertions.assertThat(page.locator("#phoneNumber")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "profile, bad phone number"));

		page.getByLabel(phoneLabel, new Page.GetByLabelOptions().setExact(true)).fill("+81 3 1234 5678");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(save)).click();
		PlaywrightAssertions.assertThat(page.locator("#profile-saved")).isVisible();
		PlaywrightAssertions.assertThat(page.locator("#phoneNumber")).hasValue("+81312345678");
		report.addAll(Chromium.axe(page, "profile, saved"));

		page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions()
			.setName(applications).setExact(true)).click();
		expect(page).hasURL(Pattern.compile(".*/realms/console/account/applications$"));
		PlaywrightAssertions.assertThat(page.locator("#application-list")).containsText("市民ポータル");
		report.addAll(Chromium.axe(page, "applications"));

		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(revokeNamed)).click();
		expect(page).hasURL(Pattern.compile(".*/realms/console/account/applications/revoke\\?client=console-app$"));
		report.addAll(Chromium.axe(page, "revoke confirmation"));

		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(confirmRevoke)).click();
		PlaywrightAssertions.assertThat(page.locator("#applications-revoked")).isVisible();
		PlaywrightAssertions.assertThat(page.locator("#applications-none")).isVisible();
		report.addAll(Chromium.axe(page, "applications, revoked"));

		// the person's other login (where they let the application in) is listed and logged out
		page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions()
			.setName(sessions).setExact(true)).click();
		expect(page).hasURL(Pattern.compile(".*/realms/console/account/sessions$"));
		PlaywrightAssertions.assertThat(page.locator("#session-list tbody tr")).hasCount(2);
		PlaywrightAssertions.assertThat(page.locator("#session-list tr.current td").first()).containsText("Chrome");
		report.addAll(Chromium.axe(page, "sessions"));
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(endOthers).setExact(true)).click();
		expect(page).hasURL(Pattern.compile(".*/realms/console/account/sessions/end$"));
		report.addAll(Chromium.axe(page, "end sessions confirmation"));
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(confirmEnd).setExact(true)).click();
		PlaywrightAssertions.assertThat(page.locator("#sessions-ended")).isVisible();
		PlaywrightAssertions.assertThat(page.locator("#session-list tbody tr")).hasCount(1);
		report.addAll(Chromium.axe(page, "sessions, others ended"));

		assertThat(report).as(() -> "axe-core violations:\n" + String.join("\n", report)).isEmpty();
	}

	/** The person lets the application in beforehand, as they would on another day. */
	private void consentToTheApp(String username) {
		Browserless browser = browser();
		OidcClient app = client("console", "console-app", "console-app-secret-0123456789");
		OidcClient.Authorization authorization = app.authorization(CALLBACK, "openid profile email");
		URI consent = browser.authorize(authorization.uri(), username, "console-chromium-pass");
		Document page = Jsoup.parse(browser.get(consent).body(), consent.toString());
		app.exchange(browser.submitAll(page.selectFirst("form.consent-form")), authorization);
	}

	private static com.microsoft.playwright.assertions.PageAssertions expect(Page page) {
		return PlaywrightAssertions.assertThat(page);
	}

}
