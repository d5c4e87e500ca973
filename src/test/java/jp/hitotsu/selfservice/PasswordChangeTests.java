package jp.hitotsu.selfservice;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A logged-in person changes their own password on the realm's account page. */
class PasswordChangeTests extends ServerTest {

	private static final String PAGE = "/realms/staff/account/password";

	@Autowired
	AuditTrail audit;

	@Autowired
	JdbcClient jdbc;

	@Test
	void accountPageWhenNotLoggedInThenLoginFirstAndBackHere() {
		Browserless browser = browser();
		HttpResponse<String> page = browser.get(uri(PAGE));
		assertThat(page.statusCode()).isEqualTo(302);
		URI login = Browserless.location(page);
		assertThat(login.getPath()).isEqualTo("/realms/staff/login");
		HttpResponse<String> loggedIn = browser.submitLogin(login, "password-change-2", "password-change-2-initial");
		assertThat(Browserless.location(loggedIn).getPath()).isEqualTo(PAGE);
		assertThat(browser.get(uri(PAGE)).statusCode()).isEqualTo(200);
		// a login to another realm is no login here
		assertThat(Browserless.location(browser.get(uri("/realms/citizen/account/password"))).getPath())
			.isEqualTo("/realms/citizen/login");
	}

	@Test
	void changeWhenValidThenNewPasswordLogsInAndOldOneNoLonger() {
		Browserless browser = browser().language("en");
		browser.submitLogin(uri("/realms/staff/login"), "password-change-1", "password-change-1-initial");

		assertRefused(change(browser, "", "whatever it is now", "whatever it is now"), "currentPassword",
				"Enter your current password.");
		assertRefused(change(browser, "not-the-password", "whatever it is now", "whatever it is now"),
				"currentPassword", "The current password is incorrect.");
		assertRefused(change(browser, "password-change-1-initial", "too short", "too short"), "newPassword",
				"The new password is too short: use at least 15 characters.");
		assertRefused(change(browser, "password-change-1-initial", "x".repeat(129), "x".repeat(129)), "newPassword",
				"use at most 128 characters");
		assertRefused(change(browser, "password-change-1-initial", "MomSanalAdventure", "MomSanalAdventure"),
				"newPassword", "common or leaked passwords");
		assertRefused(change(browser, "password-change-1-initial", "", ""), "newPassword", "Enter a new password.");
		assertRefused(change(browser, "password-change-1-initial", "password-change-1-initial",
				"password-change-1-initial"), "newPassword", "the same as the old one");

		// typed on a full-width keyboard; NFKC makes it the same as its half-width form
		HttpResponse<String> changed = change(browser, "password-change-1-initial", "Ｆｕｌｌ　ｗｉｄｔｈ　ｐｈｒａｓｅ－１",
				"Ｆｕｌｌ　ｗｉｄｔｈ　ｐｈｒａｓｅ－１");
		assertThat(changed.statusCode()).isEqualTo(302);
		assertThat(Browserless.location(changed).toString()).endsWith(PAGE + "?changed");
		assertThat(Jsoup.parse(browser.get(Browserless.location(changed)).body()).select("#password-changed").text())
			.isEqualTo("Your password has been changed.");

		assertThat(browser().submitLogin(uri("/realms/staff/login"), "password-change-1", "Full width phrase-1")
			.statusCode()).isEqualTo(302);
		assertThat(browser().submitLogin(uri("/realms/staff/login"), "password-change-1", "password-change-1-initial")
			.statusCode()).isEqualTo(401);

		String subject = Accounts.subjectOf(this.jdbc, "staff", "password-change-1");
		assertThat(this.audit.newest("staff", AuditEventType.PASSWORD_CHANGED, subject, 10))
			.extracting((event) -> event.event().outcome().name() + " " + event.event().details())
			.containsExactly("SUCCESS {how=self-service}", "FAILURE {reason=current password wrong}");
	}

	@Test
	void changeWhenJapaneseThenMessagesInJapanese() {
		Browserless browser = browser().language("ja");
		browser.submitLogin(uri("/realms/staff/login"), "password-change-2", "password-change-2-initial");
		HttpResponse<String> refused = change(browser, "password-change-2-initial", "新しいパスワード",
				"新しいパスワード");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(refused.body()).select("#newPassword-error").text())
			.isEqualTo("新しいパスワードが短すぎます。15 文字以上にしてください。");
		HttpResponse<String> mismatch = change(browser, "password-change-2-initial", "一日一歩三日で三歩三歩進んで二歩下がる",
				"一日一歩三日で三歩三歩進んで二歩さがる");
		assertThat(Jsoup.parse(mismatch.body()).select("#confirmation-error").text())
			.isEqualTo("2 つの新しいパスワードが一致しません。両方の欄に同じパスワードを入力してください。");
	}

	private HttpResponse<String> change(Browserless browser, String current, String chosen, String confirmation) {
		return browser.submitForm(uri(PAGE), "form.password-form",
				Map.of("currentPassword", current, "newPassword", chosen, "confirmation", confirmation));
	}

	private static void assertRefused(HttpResponse<String> response, String field, String message) {
		assertThat(response.statusCode()).isEqualTo(400);
		org.jsoup.nodes.Document page = Jsoup.parse(response.body());
		assertThat(page.select("#" + field + "-error").text()).contains(message);
		assertThat(page.select("#" + field).attr("aria-invalid")).isEqualTo("true");
		assertThat(page.select("[role=alert] a[href=#" + field + "]").text()).contains(message);
	}

}
