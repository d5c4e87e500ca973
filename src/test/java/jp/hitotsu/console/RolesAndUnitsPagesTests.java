package jp.hitotsu.console;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's organisation units and role rules: a unit created, renamed and closed
 * (after a confirmation), a rule added and deleted, the API's refusals of bad input shown
 * beside their fields; in Chromium, axe-core checks each page in Japanese and English.
 */
class RolesAndUnitsPagesTests extends ServerTest {

	private static final String UNITS = "/admin/realms/staff/units";

	private static final String ROLES = "/admin/realms/staff/roles";

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@Test
	void unitIsCreatedRenamedAndClosedAfterConfirmationWithBadInputBesideItsField() {
		Browserless browser = browser().language("en");
		ConsoleBrowser.login(browser, base(), UNITS, "console-units", "console-units-test-pass");
		String code = newCode();

		HttpResponse<String> bad = browser.submitForm(uri(UNITS + "/new"), "form.unit-form",
				Map.of("code", "bad code!", "kind", "section", "nameJa", ""));
		assertThat(bad.statusCode()).isEqualTo(400);
		Document badPage = Jsoup.parse(bad.body());
		assertThat(badPage.select("#code-error").text()).contains("bad code!");
		assertThat(badPage.select("#code").attr("aria-invalid")).isEqualTo("true");
		assertThat(badPage.select("#code").val()).as("what was typed stays").isEqualTo("bad code!");
		assertThat(badPage.select("#nameJa-error").text()).isNotBlank();
		assertThat(badPage.select("#form-errors[role=alert] a[href=#code]")).hasSize(1);

		HttpResponse<String> badTime = browser.submitForm(uri(UNITS + "/new"), "form.unit-form",
				Map.of("code", code, "kind", "section", "nameJa", "監査確認課", "validFrom", "soon"));
		assertThat(badTime.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(badTime.body()).select("#validFrom-error").text()).contains("soon");

		// a code the API's path cannot carry is refused before the API (a page, not a problem)
		HttpResponse<String> pathBreaking = browser.submitForm(uri(UNITS + "/new"), "form.unit-form",
				Map.of("code", "/..", "kind", "section", "nameJa", "監査確認課"));
		assertThat(pathBreaking.statusCode()).isEqualTo(400);
		assertThat(pathBreaking.body()).contains("HTTP 400");

		Document created = follow(browser, browser.submitForm(uri(UNITS + "/new"), "form.unit-form",
				Map.of("code", code, "kind", "section", "nameJa", "監査確認課", "nameEn", "Audit Check Section")));
		assertThat(created.select("#console-notice").text()).contains(code);
		assertThat(created.select("#unit-name-ja").text()).isEqualTo("監査確認課");
		assertThat(Jsoup.parse(browser.get(uri(UNITS)).body()).select("#unit-list tr[data-code=" + code + "]"))
			.hasSize(1);

		HttpResponse<String> taken = browser.submitForm(uri(UNITS + "/new"), "form.unit-form",
				Map.of("code", code, "kind", "section", "nameJa", "別の課"));
		assertThat(taken.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(taken.body()).select("#code-error").text()).contains(code);

		String validFrom = created.select("#unit-valid-from").text();
		HttpResponse<String> editForm = browser.get(uri(UNITS + "/" + code + "/edit"));
		Document edited = follow(browser, browser.submit(editForm, "form.unit-form",
				Map.of("kind", "unit", "nameJa", "監査確認課", "nameEn", "Audit Check Section",
						"validFrom", Jsoup.parse(editForm.body()).select("#validFrom").val())));
		assertThat(edited.select("#unit-kind").text()).isEqualTo("Unit");
		assertThat(edited.select("#unit-valid-from").text()).as("a time left as shown stays as it was")
			.isEqualTo(validFrom);

		Document renamed = follow(browser, browser.submitForm(uri(UNITS + "/" + code + "/rename"), "form.unit-form",
				Map.of("nameJa", "監査点検課", "nameEn", "Audit Review Section")));
		assertThat(renamed.select("#unit-name-ja").text()).isEqualTo("監査点検課");
		assertThat(renamed.select("#unit-names tbody tr")).hasSize(2);

		HttpResponse<String> confirmation = browser.get(uri(UNITS + "/" + code + "/close"));
		assertThat(confirmation.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(browser.get(uri(UNITS + "/" + code)).body()).select("#unit-valid-to").text())
			.as("nothing closed by asking").isEqualTo("Not closed");
		Document closed = follow(browser, browser.submit(confirmation, "form.confirm-form", Map.of()));
		assertThat(closed.select("#console-notice").text()).contains(code);
		assertThat(closed.select("#unit-valid-to").text()).isNotEqualTo("Not closed");
		assertThat(Jsoup.parse(browser.get(uri(UNITS)).body()).select("#unit-list tr[data-code=" + code + "]"))
			.as("no longer open").isEmpty();
	}

	@Test
	void ruleIsAddedListedAndDeletedAfterConfirmationWithBadInputBesideItsField() {
		Browserless browser = browser().language("en");
		ConsoleBrowser.login(browser, base(), ROLES, "console-units", "console-units-test-pass");
		String code = newCode();
		follow(browser, browser.submitForm(uri(UNITS + "/new"), "form.unit-form",
				Map.of("code", code, "kind", "section", "nameJa", "規則確認課")));
		String role = "reviewer-" + code.toLowerCase(Locale.ROOT);

		HttpResponse<String> bad = browser.submitForm(uri(ROLES + "/new"), "form.rule-form",
				Map.of("client", "portal", "role", "", "unit", "", "post", ""));
		assertThat(bad.statusCode()).isEqualTo(400);
		Document badPage = Jsoup.parse(bad.body());
		assertThat(badPage.select("#role-error").text()).isNotBlank();
		assertThat(badPage.select("#unit-error").text()).contains("unit, a post");
		assertThat(badPage.select("#client").val()).isEqualTo("portal");

		HttpResponse<String> unknownUnit = browser.submitForm(uri(ROLES + "/new"), "form.rule-form",
				Map.of("client", "portal", "role", role, "unit", code + "-NONE"));
		assertThat(Jsoup.parse(unknownUnit.body()).select("#unit-error").text()).contains(code + "-NONE");

		HttpResponse<String> fromUnit = browser.get(uri(ROLES + "/new?unit=" + code));
		assertThat(Jsoup.parse(fromUnit.body()).select("#unit").val()).isEqualTo(code);
		Document listed = follow(browser, browser.submit(fromUnit, "form.rule-form",
				Map.of("client", "portal", "role", role, "unit", code, "post", "課長")));
		assertThat(listed.select("#console-notice").text()).contains(role);
		Element row = listed.select("#rule-list tbody tr").stream()
			.filter((tr) -> tr.text().contains(role))
			.findFirst()
			.orElseThrow();
		assertThat(row.text()).contains("portal", code, "課長");

		assertThat(Jsoup.parse(browser.get(uri(UNITS + "/" + code)).body()).select("#unit-rules tbody tr").text())
			.as("the unit shows what it gives").contains("portal", role, "課長");

		String delete = ROLES + "/" + row.attr("data-id") + "/delete";
		HttpResponse<String> confirmation = browser.get(uri(delete));
		assertThat(confirmation.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(confirmation.body()).select("#rule").text()).contains(role, code);
		Document deleted = follow(browser, browser.submit(confirmation, "form.confirm-form", Map.of()));
		assertThat(deleted.select("#console-notice").text()).contains(role);
		assertThat(deleted.select("#rule-list").text()).doesNotContain(role);
		assertThat(browser.get(uri(delete)).statusCode()).as("gone").isEqualTo(404);
		assertThat(Jsoup.parse(browser.get(uri(UNITS + "/" + code)).body()).select("#unit-rules-none")).hasSize(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "ja-JP", "en-US" })
	void everyPageOfUnitsAndRulesPassesAxe(String locale) {
		this.context = Chromium.newContext(locale);
		Page page = this.context.newPage();
		List<String> report = new ArrayList<>();
		String code = newCode();
		ConsoleBrowser.login(page, base(), UNITS, "console-units-ui", "console-units-ui-test-pass");
		report.addAll(Chromium.axe(page, "units"));

		page.locator("#unit-new").click();
		report.addAll(Chromium.axe(page, "unit form"));
		page.locator("#code").fill("bad code!");
		page.locator("form.unit-form button[type=submit]").click();
		assertThat(page.locator("#code-error")).isVisible();
		report.addAll(Chromium.axe(page, "unit form refused"));
		page.locator("#code").fill(code);
		page.locator("#nameJa").fill("画面確認課");
		page.locator("form.unit-form button[type=submit]").click();
		assertThat(page.locator("#unit-code")).hasText(code);
		report.addAll(Chromium.axe(page, "unit"));

		for (String action : List.of("edit", "rename", "merge", "close", "delete")) {
			page.navigate(base() + UNITS + "/" + code + "/" + action);
			report.addAll(Chromium.axe(page, "unit " + action));
		}
		page.locator("form.confirm-form button[type=submit]").click();
		assertThat(page.locator("#console-notice")).containsText(code);
		report.addAll(Chromium.axe(page, "unit deleted"));

		page.navigate(base() + ROLES);
		report.addAll(Chromium.axe(page, "roles"));
		page.locator("#rule-new").click();
		page.locator("#client").fill("portal");
		page.locator("form.rule-form button[type=submit]").click();
		assertThat(page.locator("#role-error")).isVisible();
		report.addAll(Chromium.axe(page, "rule form refused"));
		page.locator("#role").fill("axe-" + code.toLowerCase(Locale.ROOT));
		page.locator("#post").fill("係長");
		page.locator("form.rule-form button[type=submit]").click();
		assertThat(page.locator("#console-notice")).isVisible();
		report.addAll(Chromium.axe(page, "rule added"));
		page.locator("#rule-list tbody tr", new Page.LocatorOptions().setHasText("axe-" + code.toLowerCase(Locale.ROOT)))
			.locator("a[href$='/delete']")
			.click();
		report.addAll(Chromium.axe(page, "rule delete"));
		page.locator("form.confirm-form button[type=submit]").click();
		assertThat(page.locator("#console-notice")).isVisible();

		assertThat(report).as(() -> String.join("\n", report)).isEmpty();
	}

	private static String newCode() {
		return "CU-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
	}

	/** Follows the redirect after a change (PRG) to the page it leads to. */
	private Document follow(Browserless browser, HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
		URI location = URI.create(base()).resolve(Browserless.location(response));
		HttpResponse<String> page = browser.get(location);
		assertThat(page.statusCode()).isEqualTo(200);
		return Jsoup.parse(page.body());
	}

}
