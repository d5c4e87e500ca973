package jp.hitotsu.console;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import jp.hitotsu.directory.TransferJob;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import jp.hitotsu.support.TestClock;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transfer batch pages over HTTP: only roles that manage transfers open them, an
 * upload that is no CSV file, empty or too large gets the form back with the reason, and
 * an applied batch is reversed after a confirmation.
 */
class TransferPagesHttpTests extends ServerTest {

	private static final String TRANSFERS = "/admin/realms/staff/transfers";

	@Autowired
	private TransferJob job;

	@Autowired
	private TestClock clock;

	@Test
	void helpdeskAndAuditorAreRefusedTheTransferPages() {
		for (String role : new String[] { "helpdesk", "auditor" }) {
			Browserless browser = browser();
			HttpResponse<String> realm = ConsoleBrowser.login(browser, base(), "/admin/realms/staff",
					"console-tr-" + role, "console-tr-" + role + "-test-pass");
			assertThat(realm.statusCode()).isEqualTo(200);
			assertThat(Jsoup.parse(realm.body()).select("nav.account-nav a").eachAttr("href")).as(role)
				.doesNotContain(TRANSFERS);
			for (String page : new String[] { TRANSFERS, TRANSFERS + "/upload" }) {
				HttpResponse<String> refused = browser.get(uri(page));
				assertThat(refused.statusCode()).as(role + " " + page).isEqualTo(403);
				assertThat(Jsoup.parse(refused.body()).select("#console-problem").attr("data-code")).isEqualTo("forbidden");
			}
		}
	}

	@Test
	void uploadWhenTheFileIsEmptyNotCsvOrTooLargeThenTheFormSaysWhy() {
		Browserless browser = browser().language("en");
		ConsoleBrowser.login(browser, base(), TRANSFERS + "/upload", "console-hr-http", "console-hr-http-test-pass");

		HttpResponse<String> empty = upload(browser, "empty.csv", "text/csv", new byte[0]);
		assertThat(empty.statusCode()).isEqualTo(400);
		assertThat(fileError(empty)).contains("not empty");

		HttpResponse<String> picture = upload(browser, "staff.png", "image/png", new byte[] { (byte) 0x89, 'P', 'N', 'G' });
		assertThat(picture.statusCode()).isEqualTo(400);
		assertThat(fileError(picture)).contains("\"staff.png\" is not a CSV file");

		// over hitotsu.admin.console.transfers.max-upload-size (256 KB in the tests)
		byte[] large = TransferData.csv(("transfer,CTR-H-0001,CTR-H-A,,," + TransferData.today() + ",,,\r\n")
			.repeat(6000)
			.strip());
		assertThat(large.length).isGreaterThan(256 * 1024);
		HttpResponse<String> tooLarge = upload(browser, "everyone.csv", "text/csv", large);
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(fileError(tooLarge)).contains("\"everyone.csv\" is larger than 256 KB");
	}

	@Test
	void appliedBatchIsReversedIntoANewBatchAfterConfirmation() {
		TransferData data = new TransferData(this);
		data.unit("CTR-H-A");
		data.unit("CTR-H-B");
		data.person("ctr-h-mover", "CTR-H-0001", "CTR-H-A");
		Browserless browser = browser().language("en");
		ConsoleBrowser.login(browser, base(), TRANSFERS + "/upload", "console-hr-http", "console-hr-http-test-pass");
		HttpResponse<String> uploaded = upload(browser, "moves.csv", "text/csv",
				TransferData.csv("transfer,CTR-H-0001,CTR-H-B,,," + TransferData.today() + ",,,"));
		assertThat(uploaded.statusCode()).as(uploaded::body).isEqualTo(302);
		URI batch = Browserless.location(uploaded);

		HttpResponse<String> scheduled = browser.submitForm(URI.create(batch + "/schedule"), "#transfer-confirm-form",
				Map.of());
		assertThat(scheduled.statusCode()).isEqualTo(302);
		this.job.applyDue();
		Document applied = Jsoup.parse(browser.get(batch).body());
		assertThat(applied.select("#transfer-batch").attr("data-status")).isEqualTo("applied");
		assertThat(applied.select("#transfer-outcome").text()).isEqualTo("Lines applied: 1.");
		assertThat(applied.select("#transfer-actions a").eachAttr("data-action")).containsExactly("reverse");

		HttpResponse<String> pastDate = browser.submitForm(URI.create(batch + "/reverse"), "#transfer-confirm-form",
				Map.of("effectiveDate", TransferData.today().minusDays(1).toString()));
		assertThat(pastDate.statusCode()).isEqualTo(400);
		Document refused = Jsoup.parse(pastDate.body());
		assertThat(refused.select("#transfer-report").text()).contains("in the past");
		assertThat(refused.select("#effectiveDate").attr("value")).isEqualTo(TransferData.today().minusDays(1).toString());

		HttpResponse<String> reversed = browser.submitForm(URI.create(batch + "/reverse"), "#transfer-confirm-form",
				Map.of());
		assertThat(reversed.statusCode()).isEqualTo(302);
		URI reversal = Browserless.location(reversed);
		assertThat(reversal).isNotEqualTo(batch);
		Document page = Jsoup.parse(browser.get(reversal).body());
		assertThat(page.select("#transfer-batch").attr("data-status")).isEqualTo("validated");
		assertThat(page.select("#console-notice").text()).contains("reversing batch was made");
		assertThat(page.select("#transfer-diff tr[data-action=RESTORE]")).hasSize(1);
		assertThat(page.select("#transfer-diff tr[data-action=RESTORE]").text()).contains("CTR-H-0001", "CTR-H-B",
				"CTR-H-A");
	}

	@Test
	void batchWhenNoLongerValidAtItsTimeShowsTheLinesThatFailed() {
		TransferData data = new TransferData(this);
		data.unit("CTR-F-CLOSING");
		LocalDate tomorrow = TransferData.today().plusDays(1);
		Browserless browser = browser().language("en");
		ConsoleBrowser.login(browser, base(), TRANSFERS + "/upload", "console-hr-http", "console-hr-http-test-pass");
		URI batch = Browserless.location(upload(browser, "joiners.csv", "text/csv",
				TransferData.csv("join,CTR-F-0001,CTR-F-CLOSING,,," + tomorrow + ",ctr-f-joiner,閉,一")));
		assertThat(browser.submitForm(URI.create(batch + "/schedule"), "#transfer-confirm-form", Map.of()).statusCode())
			.isEqualTo(302);
		// the unit closes as the batch applies: the batch is no longer valid then
		data.close("CTR-F-CLOSING", tomorrow.atStartOfDay(ZoneId.of("Asia/Tokyo")).toOffsetDateTime());
		this.clock.advance(Duration.ofDays(1));
		try {
			this.job.applyDue();
		}
		finally {
			this.clock.reset();
		}
		Document failed = Jsoup.parse(browser.get(batch).body());
		assertThat(failed.select("#transfer-batch").attr("data-status")).isEqualTo("failed");
		assertThat(failed.select("#transfer-failure tr[data-line=2]").text()).contains("primary_unit", "CTR-F-CLOSING");
		assertThat(failed.select("#transfer-actions")).isEmpty();
	}

	private HttpResponse<String> upload(Browserless browser, String name, String type, byte[] content) {
		HttpResponse<String> form = browser.get(uri(TRANSFERS + "/upload"));
		Browserless.FilledForm filled = Browserless.fill(form, "#transfer-upload-form", Map.of());
		return browser.postFile(filled.action(), filled.fields(), "file", name, type, content);
	}

	private static String fileError(HttpResponse<String> page) {
		Document document = Jsoup.parse(page.body());
		assertThat(document.select("#file").attr("aria-invalid")).isEqualTo("true");
		assertThat(document.select("#transfer-upload-errors[role=alert]")).hasSize(1);
		return document.select("#file-error").text();
	}

}
