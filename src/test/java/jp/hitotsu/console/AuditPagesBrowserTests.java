package jp.hitotsu.console;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit pages in Chromium, in Japanese and English: an auditor finds a failed login
 * made just before, opens it, verifies the chain (also against a checkpoint signed there)
 * and is refused the directory's pages; axe-core checks every page state.
 */
class AuditPagesBrowserTests extends ServerTest {

	private static final String AUDIT = "/admin/realms/staff/audit";

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, 改ざんはありません, 日時として読み取れません", "en-US, The chain is intact, is not a date and time" })
	void auditorFiltersFailedLoginsOpensOneAndVerifiesTheChain(String locale, String intact, String notTime) {
		String probe = "audit-probe-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
		HttpResponse<String> failed = browser().submitLogin(uri("/realms/staff/login"), probe, "not-the-password");
		assertThat(failed.statusCode()).isNotEqualTo(302);
		this.context = Chromium.newContext(locale);
		Page page = this.context.newPage();
		List<String> report = new ArrayList<>();

		ConsoleBrowser.login(page, base(), AUDIT, "console-auditor", "console-auditor-test-pass");
		assertThat(page.locator("nav.account-nav a[href$='/audit']")).hasCount(1);
		assertThat(page.locator("nav.account-nav a[href$='/roles'], nav.account-nav a[href$='/units']")).hasCount(0);
		report.addAll(Chromium.axe(page, "audit"));

		page.locator("#type").selectOption("LOGIN_FAILED");
		page.locator("#outcome").selectOption("failure");
		page.locator("form.audit-filter button[type=submit]").click();
		Locator probeRow = page.locator("#audit-list tbody tr").filter(new Locator.FilterOptions().setHasText(probe));
		assertThat(probeRow).hasCount(1);
		assertThat(page.locator("#audit-list tbody tr:not([data-type=LOGIN_FAILED])")).hasCount(0);
		report.addAll(Chromium.axe(page, "audit filtered"));

		probeRow.locator("a").click();
		assertThat(page.locator("#event-username")).hasText(probe);
		assertThat(page.locator("#event-type")).hasText("LOGIN_FAILED");
		assertThat(page.locator("#event-details")).containsText("unknown_user");
		assertThat(page.locator("#event-subject-events")).hasCount(0);
		report.addAll(Chromium.axe(page, "audit event"));

		page.navigate(base() + AUDIT + "?from=yesterday");
		assertThat(page.locator("#from-error")).containsText(notTime);
		assertThat(page.locator("#from")).hasAttribute("aria-invalid", "true");
		assertThat(page.locator("#form-errors")).isVisible();
		report.addAll(Chromium.axe(page, "audit bad filter"));

		page.navigate(base() + AUDIT);
		page.locator("#audit-verify").click();
		assertThat(page.locator("#verification")).hasAttribute("data-intact", "true");
		assertThat(page.locator("#verification-result")).containsText(intact);
		report.addAll(Chromium.axe(page, "verification"));

		page.navigate(base() + AUDIT);
		page.locator("#audit-checkpoint").click();
		report.addAll(Chromium.axe(page, "checkpoint form"));
		page.locator("form.checkpoint-form button[type=submit]").click();
		String checkpoint = page.locator("#checkpoint-jws").inputValue();
		assertThat(checkpoint).startsWith("eyJ").contains(".");
		report.addAll(Chromium.axe(page, "checkpoint signed"));

		page.navigate(base() + AUDIT + "/verification");
		page.locator("#checkpoint").fill(checkpoint);
		page.locator("form.checkpoint-form button[type=submit]").click();
		assertThat(page.locator("#verification")).hasAttribute("data-intact", "true");
		page.locator("#checkpoint").fill("not-a-checkpoint");
		page.locator("form.checkpoint-form button[type=submit]").click();
		assertThat(page.locator("#checkpoint-error")).isVisible();
		report.addAll(Chromium.axe(page, "verification bad checkpoint"));

		for (String refused : List.of("/admin/realms/staff/roles", "/admin/realms/staff/units")) {
			Response response = page.navigate(base() + refused);
			assertThat(response.status()).as(refused).isEqualTo(403);
			assertThat(page.locator("#console-problem")).hasAttribute("data-code", "forbidden");
		}
		report.addAll(Chromium.axe(page, "refused"));

		assertThat(report).as(() -> String.join("\n", report)).isEmpty();
	}

	@Test
	void realmAdministratorSeesAuditRolesAndUnits() {
		Browserless browser = browser();
		HttpResponse<String> realm = ConsoleBrowser.login(browser, base(), "/admin/realms/staff", "console-audit-admin",
				"console-audit-admin-test-pass");
		assertThat(Jsoup.parse(realm.body()).select("nav.account-nav a").eachAttr("href")).contains(
				"/admin/realms/staff/audit", "/admin/realms/staff/roles", "/admin/realms/staff/units");
		for (String path : List.of(AUDIT, AUDIT + "/verification", AUDIT + "/checkpoints", "/admin/realms/staff/roles",
				"/admin/realms/staff/units")) {
			assertThat(browser.get(uri(path)).statusCode()).as(path).isEqualTo(200);
		}
	}

}
