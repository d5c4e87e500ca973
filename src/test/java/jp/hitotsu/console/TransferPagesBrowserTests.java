package jp.hitotsu.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HR administrator's 1 April in Chromium, in Japanese and English: a file with bad
 * lines is refused whole with every line reported, a good file shows its dry run with
 * counts per kind and is scheduled, another is cancelled; axe-core checks every page.
 */
class TransferPagesBrowserTests extends ServerTest {

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, J, 異動バッチ, 異動ファイルを登録, ファイルを確認, 予約する, 中止する, 予約済み, 中止",
			"en-US, E, Transfer batches, Upload a batch, Check the file, Schedule, Cancel the batch, Scheduled, Cancelled" })
	void hrUploadsChecksSchedulesAndCancelsBatches(String locale, String tag, String transfers, String uploadLink,
			String check, String schedule, String cancel, String scheduled, String cancelled) {
		String prefix = "CTR-" + tag;
		TransferData data = new TransferData(this);
		data.unit(prefix + "-A");
		data.unit(prefix + "-B");
		data.unit(prefix + "-C");
		data.person("ctr-" + tag.toLowerCase() + "-mover", prefix + "-001", prefix + "-A");
		data.person("ctr-" + tag.toLowerCase() + "-leaver", prefix + "-002", prefix + "-A");
		String date = TransferData.today().plusDays(30).toString();

		this.context = Chromium.newContext(locale);
		Page page = this.context.newPage();
		List<String> report = new ArrayList<>();
		ConsoleBrowser.login(page, base(), "/admin/realms/staff", "console-hr", "console-hr-test-pass");
		page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions()
			.setName(transfers).setExact(true)).click();
		assertThat(page).hasURL(Pattern.compile(".*/admin/realms/staff/transfers$"));
		report.addAll(Chromium.axe(page, "transfers"));

		// two bad lines: an unknown employee, an unknown unit
		int before = data.batches();
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(uploadLink)).click();
		report.addAll(Chromium.axe(page, "upload"));
		page.locator("#file").setInputFiles(new FilePayload("bad.csv", "text/csv", TransferData.csv(
				"transfer," + prefix + "-NOBODY," + prefix + "-B,,," + date + ",,,",
				"join," + prefix + "-003," + prefix + "-NOWHERE,,," + date + ",ctr-" + tag.toLowerCase() + "-x,新,一")));
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(check)).click();
		assertThat(page.locator("#transfer-report-lines tbody tr")).hasCount(2);
		assertThat(page.locator("#transfer-report-lines tr[data-line='2']")).containsText(prefix + "-NOBODY");
		assertThat(page.locator("#transfer-report-lines tr[data-line='3']")).containsText(prefix + "-NOWHERE");
		assertThat(data.batches()).as("nothing kept").isEqualTo(before);
		report.addAll(Chromium.axe(page, "upload report"));

		// a good file: a move with a concurrent post, a leaver, a joiner
		page.locator("#file").setInputFiles(new FilePayload("april.csv", "text/csv", TransferData.csv(
				"transfer," + prefix + "-001," + prefix + "-B,主査," + prefix + "-C:兼務," + date + ",,,",
				"leave," + prefix + "-002,,,," + date + ",,,",
				"join," + prefix + "-003," + prefix + "-C,,," + date + ",ctr-" + tag.toLowerCase() + "-joiner,新井,一郎")));
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(check)).click();
		assertThat(page).hasURL(Pattern.compile(".*/admin/realms/staff/transfers/[0-9a-f-]{36}$"));
		assertThat(page.locator("#console-notice")).containsText("april.csv");
		assertThat(page.locator("#transfer-counts tr[data-kind=TRANSFER] td")).hasText("1");
		assertThat(page.locator("#transfer-counts tr[data-kind=JOIN] td")).hasText("1");
		assertThat(page.locator("#transfer-counts tr[data-kind=LEAVE] td")).hasText("1");
		assertThat(page.locator("#transfer-counts tr[data-kind=RESTORE] td")).hasText("0");
		assertThat(page.locator("#transfer-counts tr[data-kind=CONCURRENT] td")).hasText("1");
		assertThat(page.locator("#transfer-diff tr[data-line='2']")).containsText(prefix + "-A");
		assertThat(page.locator("#transfer-diff tr[data-line='2']")).containsText(prefix + "-C");
		report.addAll(Chromium.axe(page, "batch"));

		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(schedule).setExact(true)).click();
		assertThat(page).hasURL(Pattern.compile(".*/schedule$"));
		report.addAll(Chromium.axe(page, "schedule confirmation"));
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(schedule).setExact(true)).click();
		assertThat(page.locator("#transfer-status")).hasText(scheduled);
		assertThat(page.locator("#console-notice")).isVisible();
		report.addAll(Chromium.axe(page, "scheduled"));

		// another batch, cancelled before it applies
		page.navigate(base() + "/admin/realms/staff/transfers/upload");
		page.locator("#file").setInputFiles(new FilePayload("extra.csv", "text/csv", TransferData.csv(
				"join," + prefix + "-004," + prefix + "-B,,," + date + ",ctr-" + tag.toLowerCase() + "-extra,追加,花子")));
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(check)).click();
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(cancel).setExact(true)).click();
		report.addAll(Chromium.axe(page, "cancel confirmation"));
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(cancel).setExact(true)).click();
		assertThat(page.locator("#transfer-status")).hasText(cancelled);
		assertThat(page.locator("#transfer-diff")).hasCount(0);
		report.addAll(Chromium.axe(page, "cancelled"));

		page.navigate(base() + "/admin/realms/staff/transfers?status=scheduled");
		assertThat(page.locator("#transfer-list tbody tr[data-status=scheduled]").first()).isVisible();
		assertThat(page.locator("#transfer-list tbody tr:not([data-status=scheduled])")).hasCount(0);
		report.addAll(Chromium.axe(page, "transfers filtered"));

		assertThat(report).as(() -> String.join("\n", report)).isEmpty();
	}

}
