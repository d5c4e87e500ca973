package jp.hitotsu.registration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

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
 * The citizen pages in Chromium, in Japanese and in English, each state checked by
 * axe-core: sign-up (empty, with errors, sent), the verification link, the login after
 * it, and the deletion of the account.
 */
class CitizenPagesBrowserTests extends ServerTest {

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, ja, アカウントを作成する, メールアドレス, 姓, 名, 新しいパスワード, 新しいパスワード (確認), アドレスを確認する, ユーザー名, パスワード, ログイン, アカウントを削除する, アカウントが完全に削除されることを理解しました",
			"en-US, en, Create an account, E-mail address, Family name, Given name, New password, New password again, Confirm the address, Username, Password, Log in, Delete my account, I understand that my account is deleted for good" })
	void citizenPagesWhenUsedThenWorkAndHaveNoAccessibilityViolations(String locale, String lang, String create,
			String emailLabel, String familyLabel, String givenLabel, String newLabel, String confirmationLabel,
			String confirm, String usernameLabel, String passwordLabel, String logIn, String delete,
			String understand) throws Exception {
		this.context = Chromium.newContext(locale);
		Page page = this.context.newPage();
		List<String> report = new ArrayList<>();
		String email = "signup-browser-" + lang + "@example.test";
		String password = "a browser chosen passphrase " + lang;

		page.navigate(base() + "/realms/citizen/login");
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(create)).click();
		PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", lang);
		report.addAll(Chromium.axe(page, "sign-up"));

		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(create)).click();
		PlaywrightAssertions.assertThat(page.locator("#email")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "sign-up, errors"));

		page.getByLabel(emailLabel, new Page.GetByLabelOptions().setExact(true)).fill(email);
		page.getByLabel(familyLabel, new Page.GetByLabelOptions().setExact(true)).fill("髙橋");
		page.getByLabel(givenLabel, new Page.GetByLabelOptions().setExact(true)).fill("𩸽子");
		page.getByLabel(newLabel, new Page.GetByLabelOptions().setExact(true)).fill(password);
		page.getByLabel(confirmationLabel, new Page.GetByLabelOptions().setExact(true)).fill(password);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(create)).click();
		PlaywrightAssertions.assertThat(page.locator("#recovery-notice")).isVisible();
		report.addAll(Chromium.axe(page, "sign-up sent"));

		String mail = (String) TestMailServer.awaitMessagesTo(email, 1, Duration.ofSeconds(20)).get(0).getContent();
		Matcher link = RegistrationTests.LINK.matcher(mail);
		assertThat(link.find()).isTrue();
		page.navigate(link.group(1));
		report.addAll(Chromium.axe(page, "verification"));
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(confirm)).click();
		PlaywrightAssertions.assertThat(page.locator("#recovery-notice")).isVisible();
		report.addAll(Chromium.axe(page, "verified"));

		page.navigate(base() + "/realms/citizen/account/delete");
		page.getByLabel(usernameLabel, new Page.GetByLabelOptions().setExact(true)).fill(email);
		page.getByLabel(passwordLabel, new Page.GetByLabelOptions().setExact(true)).fill(password);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(logIn).setExact(true)).click();
		PlaywrightAssertions.assertThat(page.locator("form.delete-form")).isVisible();
		report.addAll(Chromium.axe(page, "delete"));

		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(delete)).click();
		PlaywrightAssertions.assertThat(page.locator("#confirm")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "delete, unconfirmed"));

		page.getByLabel(understand).check();
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(delete)).click();
		PlaywrightAssertions.assertThat(page.locator("#deleted-notice")).isVisible();
		report.addAll(Chromium.axe(page, "deleted"));

		assertThat(report).as(() -> "axe-core violations:\n" + String.join("\n", report)).isEmpty();
	}

}
