package jp.hitotsu.selfservice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ServerTest;
import jp.hitotsu.support.TestMailServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The e-mail change in Chromium, in Japanese and in English: from the profile to the form
 * (a wrong password first), the link from the mail confirmed, every state checked by
 * axe-core.
 */
class EmailChangeBrowserTests extends ServerTest {

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
			"ja-JP, ja, ユーザー名, パスワード, ログイン, メールアドレスを変更する, 新しいメールアドレス, 現在のパスワード, リンクを送る, アドレスを変更する",
			"en-US, en, Username, Password, Log in, Change your e-mail address, New e-mail address, Current password, Send the link, Change my address" })
	void emailChangeWhenWalkedThenWorksAndHasNoAccessibilityViolations(String locale, String lang, String usernameLabel,
			String passwordLabel, String logIn, String changeLink, String newEmailLabel, String currentPasswordLabel,
			String send, String confirm) throws Exception {
		String username = "email-changer-browser-" + lang;
		String newEmail = "email-changed-browser-" + lang + "@example.test";
		this.context = Chromium.newContext(locale);
		Page page = this.context.newPage();
		List<String> report = new ArrayList<>();

		page.navigate(base() + "/realms/console/account/profile");
		page.getByLabel(usernameLabel, new Page.GetByLabelOptions().setExact(true)).fill(username);
		page.getByLabel(passwordLabel, new Page.GetByLabelOptions().setExact(true)).fill("email-changer-pass");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(logIn).setExact(true)).click();
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(changeLink).setExact(true)).click();
		PlaywrightAssertions.assertThat(page).hasURL(Pattern.compile(".*/realms/console/account/email$"));
		PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", lang);
		report.addAll(Chromium.axe(page, "e-mail form"));

		page.getByLabel(newEmailLabel, new Page.GetByLabelOptions().setExact(true)).fill(newEmail);
		page.getByLabel(currentPasswordLabel, new Page.GetByLabelOptions().setExact(true)).fill("not-the-password");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(send).setExact(true)).click();
		PlaywrightAssertions.assertThat(page.locator("#currentPassword")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "e-mail form, wrong password"));

		page.getByLabel(currentPasswordLabel, new Page.GetByLabelOptions().setExact(true)).fill("email-changer-pass");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(send).setExact(true)).click();
		PlaywrightAssertions.assertThat(page.locator("#email-change-sent")).isVisible();
		report.addAll(Chromium.axe(page, "e-mail form, link sent"));

		page.navigate(EmailChangeTests.link(TestMailServer.awaitMessagesTo(newEmail, 1, Duration.ofSeconds(20)).get(0))
			.toString());
		PlaywrightAssertions.assertThat(page.locator("#email-change-new")).containsText(newEmail);
		report.addAll(Chromium.axe(page, "confirmation"));
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(confirm).setExact(true)).click();
		PlaywrightAssertions.assertThat(page.locator("#recovery-notice")).containsText(newEmail);
		report.addAll(Chromium.axe(page, "changed"));

		assertThat(report).as(() -> "axe-core violations:\n" + String.join("\n", report)).isEmpty();
	}

}
