package jp.hitotsu.console;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin console in Chromium, in Japanese and English: an administrator logs in with
 * two factors, opens a realm and finds a person; axe-core checks every page.
 */
class ConsoleBrowserTests extends ServerTest {

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, ja, 職員, 利用者, 利用者を探す, 検索, ログアウト",
			"en-US, en, Staff, Users, Find a person, Search, Log out" })
	void administratorLogsInWithTwoFactorsAndFindsAPerson(String locale, String lang, String staff, String users,
			String findLabel, String search, String logOut) {
		this.context = Chromium.newContext(locale);
		Page page = this.context.newPage();
		List<String> report = new ArrayList<>();

		ConsoleBrowser.login(page, base(), "/admin", "console-super", "console-super-test-pass");
		assertThat(page.locator("html")).hasAttribute("lang", lang);
		assertThat(page.locator(".console-user")).containsText("管理 一郎");
		report.addAll(Chromium.axe(page, "realms"));

		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(staff).setExact(true)).click();
		assertThat(page).hasURL(Pattern.compile(".*/admin/realms/staff$"));
		assertThat(page.locator("#realm-settings")).containsText("RS256");
		report.addAll(Chromium.axe(page, "realm"));

		page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions()
			.setName(users).setExact(true)).click();
		page.getByLabel(findLabel).fill("console-help");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(search).setExact(true)).click();
		assertThat(page.locator("#user-list tbody tr")).hasCount(1);
		assertThat(page.locator("#user-list")).containsText("窓口 二郎");
		report.addAll(Chromium.axe(page, "users"));

		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(logOut).setExact(true)).click();
		page.navigate(base() + "/admin");
		assertThat(page).hasURL(Pattern.compile(".*/realms/staff/login.*"));

		assertThat(report).as(() -> String.join("\n", report)).isEmpty();
	}

}
