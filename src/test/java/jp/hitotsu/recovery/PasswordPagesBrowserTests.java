package jp.hitotsu.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ServerTest;
import jp.hitotsu.support.TestMailServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The password pages in Chromium, in Japanese and in English, each state checked by
 * axe-core: forgot password, the mail's link, the new password after a temporary one, and
 * the account page's change.
 */
class PasswordPagesBrowserTests extends ServerTest {

	private static final Pattern LINK = Pattern.compile("(http://\\S+/login/reset-password\\?token=[A-Za-z0-9_-]+)");

	private BrowserContext context;

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, ja, パスワードをお忘れの場合, メールアドレス, リンクを送信する, 新しいパスワード, 新しいパスワード (確認), パスワードを設定する",
			"en-US, en, Forgot your password?, E-mail address, Send the link, New password, New password again, Set the password" })
	void recoveryPagesWhenUsedThenWorkAndHaveNoAccessibilityViolations(String locale, String lang, String forgot,
			String emailLabel, String send, String newLabel, String confirmationLabel, String set) throws Exception {
		Page page = open(locale);
		List<String> report = new ArrayList<>();
		String email = "recovery-browser-" + lang + "@example.test";
		page.navigate(base() + "/realms/citizen/login");
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(forgot)).click();
		expect(page).hasTitle(forgot);
		expectLang(page, lang);
		report.addAll(Chromium.axe(page, "forgot password"));

		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(send)).click();
		PlaywrightAssertions.assertThat(page.locator("#email")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "forgot password, address missing"));

		page.getByLabel(emailLabel).fill(email);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(send)).click();
		PlaywrightAssertions.assertThat(page.locator("#recovery-notice")).isVisible();
		report.addAll(Chromium.axe(page, "link sent"));

		String mail = (String) TestMailServer.awaitMessagesTo(email, 1, Duration.ofSeconds(20)).get(0).getContent();
		Matcher link = LINK.matcher(mail);
		assertThat(link.find()).isTrue();
		page.navigate(link.group(1));
		expect(page).hasTitle(set.equals("Set the password") ? "Choose a new password" : "新しいパスワードの設定");
		report.addAll(Chromium.axe(page, "reset form"));

		page.getByLabel(newLabel, new Page.GetByLabelOptions().setExact(true)).fill("short");
		page.getByLabel(confirmationLabel, new Page.GetByLabelOptions().setExact(true)).fill("short");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(set)).click();
		PlaywrightAssertions.assertThat(page.locator("#newPassword")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "reset form, too short"));

		String chosen = "browser chosen passphrase " + lang;
		page.getByLabel(newLabel, new Page.GetByLabelOptions().setExact(true)).fill(chosen);
		page.getByLabel(confirmationLabel, new Page.GetByLabelOptions().setExact(true)).fill(chosen);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(set)).click();
		PlaywrightAssertions.assertThat(page.locator("#recovery-notice")).isVisible();
		report.addAll(Chromium.axe(page, "password set"));

		page.navigate(link.group(1));
		PlaywrightAssertions.assertThat(page.locator("#recovery-notice")).isVisible();
		report.addAll(Chromium.axe(page, "link used"));

		assertThat(report).as(() -> "axe-core violations:\n" + String.join("\n", report)).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, ja, ユーザー名, パスワード, ログイン, 新しいパスワード, 新しいパスワード (確認), パスワードを設定して続ける, 現在のパスワード, パスワードを変更する",
			"en-US, en, Username, Password, Log in, New password, New password again, Set the password and continue, Current password, Change the password" })
	void newPasswordAndAccountPagesHaveNoAccessibilityViolations(String locale, String lang, String usernameLabel,
			String passwordLabel, String logIn, String newLabel, String confirmationLabel, String setAndContinue,
			String currentLabel, String change) {
		String username = "password-browser-" + lang;
		String temporary = this.accounts
			.setTemporaryPassword("staff", Accounts.subjectOf(this.jdbc, "staff", username))
			.orElseThrow();
		Page page = open(locale);
		List<String> report = new ArrayList<>();
		page.navigate(base() + "/realms/staff/account/password");
		page.getByLabel(usernameLabel, new Page.GetByLabelOptions().setExact(true)).fill(username);
		page.getByLabel(passwordLabel, new Page.GetByLabelOptions().setExact(true)).fill(temporary);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(logIn).setExact(true)).click();
		expect(page).hasURL(Pattern.compile(".*/realms/staff/login/new-password$"));
		expectLang(page, lang);
		report.addAll(Chromium.axe(page, "new password"));

		page.getByLabel(newLabel, new Page.GetByLabelOptions().setExact(true)).fill(temporary);
		page.getByLabel(confirmationLabel, new Page.GetByLabelOptions().setExact(true)).fill(temporary);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(setAndContinue)).click();
		PlaywrightAssertions.assertThat(page.locator("#newPassword")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "new password, temporary one reused"));

		String chosen = "my own passphrase " + lang;
		page.getByLabel(newLabel, new Page.GetByLabelOptions().setExact(true)).fill(chosen);
		page.getByLabel(confirmationLabel, new Page.GetByLabelOptions().setExact(true)).fill(chosen);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(setAndContinue)).click();
		// back where the login started: the account page
		expect(page).hasURL(Pattern.compile(".*/realms/staff/account/password$"));
		report.addAll(Chromium.axe(page, "account page"));

		page.getByLabel(currentLabel, new Page.GetByLabelOptions().setExact(true)).fill("wrong");
		page.getByLabel(newLabel, new Page.GetByLabelOptions().setExact(true)).fill("another passphrase " + lang);
		page.getByLabel(confirmationLabel, new Page.GetByLabelOptions().setExact(true)).fill("another passphrase " + lang);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(change)).click();
		PlaywrightAssertions.assertThat(page.locator("#currentPassword")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "account page, current password wrong"));

		page.getByLabel(currentLabel, new Page.GetByLabelOptions().setExact(true)).fill(chosen);
		page.getByLabel(newLabel, new Page.GetByLabelOptions().setExact(true)).fill("another passphrase " + lang);
		page.getByLabel(confirmationLabel, new Page.GetByLabelOptions().setExact(true)).fill("another passphrase " + lang);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(change)).click();
		PlaywrightAssertions.assertThat(page.locator("#password-changed")).isVisible();
		report.addAll(Chromium.axe(page, "account page, changed"));

		assertThat(report).as(() -> "axe-core violations:\n" + String.join("\n", report)).isEmpty();
	}

	private Page open(String locale) {
		this.context = Chromium.newContext(locale);
		return this.context.newPage();
	}

	private static void expectLang(Page page, String lang) {
		PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", lang);
	}

	private static com.microsoft.playwright.assertions.PageAssertions expect(Page page) {
		return PlaywrightAssertions.assertThat(page);
	}

}
