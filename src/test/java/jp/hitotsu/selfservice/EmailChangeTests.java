package jp.hitotsu.selfservice;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ServerTest;
import jp.hitotsu.support.TestMailServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing the account's e-mail address from the account console over HTTP, with the mail
 * through a real SMTP server: the address changes only when the link sent to the new one
 * is confirmed, the old one is told, an address another account has is never taken.
 */
class EmailChangeTests extends ServerTest {

	static final Pattern LINK = Pattern.compile("(http://\\S+/account/email/confirm\\?token=[A-Za-z0-9_-]+)");

	private static final Duration MAIL_TIMEOUT = Duration.ofSeconds(20);

	private static final String EMAIL_PAGE = "/realms/console/account/email";

	@Autowired
	AuditTrail audit;

	@Autowired
	JdbcClient jdbc;

	@Test
	void changeWhenLinkConfirmedThenAddressAndUsernameFollowAndOldAddressWasTold() throws Exception {
		Browserless browser = browser().language("en");
		browser.submitLogin(uri("/realms/console/login"), "email-changer@example.test", "email-changer-pass");
		Document profile = Jsoup.parse(browser.get(uri("/realms/console/account/profile")).body());
		assertThat(profile.select("#profile-change-email").attr("href")).isEqualTo(EMAIL_PAGE);

		HttpResponse<String> sent = browser.submitForm(uri(EMAIL_PAGE), "form.email-change-form",
				Map.of("newEmail", " email-changed@example.test ", "currentPassword", "email-changer-pass"));
		assertThat(sent.statusCode()).isEqualTo(302);
		Document sentPage = Jsoup.parse(browser.get(Browserless.location(sent)).body());
		assertThat(sentPage.select("#email-change-sent").text()).contains("within 1440 minutes");

		MimeMessage notice = TestMailServer.awaitMessagesTo("email-changer@example.test", 1, MAIL_TIMEOUT).get(0);
		assertThat((String) notice.getContent()).contains("email-changed@example.test").doesNotContain("token=");
		URI link = link(TestMailServer.awaitMessagesTo("email-changed@example.test", 1, MAIL_TIMEOUT).get(0));
		assertThat(emailOf("email-changer@example.test")).as("nothing changes before the link is confirmed")
			.isEqualTo("email-changer@example.test");

		// opened in another browser: the page asks, and changes nothing by itself
		Browserless mailbox = browser().language("en");
		HttpResponse<String> confirmPage = mailbox.get(link);
		assertThat(Jsoup.parse(confirmPage.body()).select("#email-change-new").text())
			.isEqualTo("Your account's e-mail address becomes email-changed@example.test.");
		assertThat(emailOf("email-changer@example.test")).isEqualTo("email-changer@example.test");
		HttpResponse<String> changed = mailbox.submit(confirmPage, "form.email-change-confirm-form", Map.of());
		assertThat(changed.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(changed.body()).select("h1").text()).isEqualTo("Your e-mail address has been changed");

		String subject = Accounts.subjectOf(this.jdbc, "console", "email-changed@example.test");
		assertThat(this.jdbc.sql("select email_verified from account where id = cast(:id as uuid)")
			.param("id", subject)
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(this.audit.newest("console", AuditEventType.ACCOUNT_UPDATED, subject, 1).get(0).event().details())
			.containsEntry("via", "email-change")
			.containsEntry("fields", "email username");
		// the username followed the address: the old one no longer logs in
		assertThat(browser().submitLogin(uri("/realms/console/login"), "email-changed@example.test", "email-changer-pass")
			.statusCode()).isEqualTo(302);
		assertThat(browser().submitLogin(uri("/realms/console/login"), "email-changer@example.test", "email-changer-pass")
			.statusCode()).isNotEqualTo(302);
		// spent
		assertThat(mailbox.get(link).statusCode()).isEqualTo(410);
	}

	@Test
	void changeWhenFormIsWrongThenLocalizedErrorsAndNothingSent() {
		Browserless browser = browser().language("ja");
		browser.submitLogin(uri("/realms/console/login"), "email-changer-two", "email-changer-pass");
		HttpResponse<String> wrong = browser.submitForm(uri(EMAIL_PAGE), "form.email-change-form",
				Map.of("newEmail", "not an address", "currentPassword", "wrong-password"));
		assertThat(wrong.statusCode()).isEqualTo(400);
		Document page = Jsoup.parse(wrong.body());
		assertThat(page.select("#newEmail-error").text()).isEqualTo("name@example.jp のような形式でメールアドレスを入力してください。");
		assertThat(page.select("#currentPassword-error").text()).isEqualTo("現在のパスワードを正しく入力してください。");
		assertThat(page.select("#newEmail").val()).isEqualTo("not an address");

		HttpResponse<String> same = browser.submitForm(uri(EMAIL_PAGE), "form.email-change-form",
				Map.of("newEmail", "EMAIL-CHANGER-TWO@example.test", "currentPassword", "email-changer-pass"));
		assertThat(Jsoup.parse(same.body()).select("#newEmail-error").text())
			.isEqualTo("すでにこのアドレスをお使いです。別のアドレスを入力してください。");
		assertThat(TestMailServer.messagesTo("email-changer-two@example.test")).isEmpty();

		// a second request within the minute is refused, naming the wait
		assertThat(browser.submitForm(uri(EMAIL_PAGE), "form.email-change-form",
				Map.of("newEmail", "email-two-new@example.test", "currentPassword", "email-changer-pass"))
			.statusCode()).isEqualTo(302);
		HttpResponse<String> again = browser.submitForm(uri(EMAIL_PAGE), "form.email-change-form",
				Map.of("newEmail", "email-two-other@example.test", "currentPassword", "email-changer-pass"));
		assertThat(Jsoup.parse(again.body()).select("#newEmail-error").text()).contains("1 分");
	}

	@Test
	void changeWhenAddressBelongsToAnotherAccountThenNoLinkAndItsOwnerIsTold() throws Exception {
		Browserless browser = browser().language("en");
		browser.submitLogin(uri("/realms/console/login"), "email-changer-three", "email-changer-pass");
		HttpResponse<String> sent = browser.submitForm(uri(EMAIL_PAGE), "form.email-change-form",
				Map.of("newEmail", "Email-Taken@example.test", "currentPassword", "email-changer-pass"));
		assertThat(sent.statusCode()).as("the same answer as for a free address").isEqualTo(302);
		List<MimeMessage> toOwner = TestMailServer.awaitMessagesTo("email-taken@example.test", 1, MAIL_TIMEOUT);
		assertThat((String) toOwner.get(0).getContent()).contains("nothing has changed").doesNotContain("token=");
		assertThat(emailOf("email-changer-three")).isEqualTo("email-changer-three@example.test");
	}

	@Test
	void emailPageWhenRealmKeepsAddressesThenBackToProfile() {
		Browserless browser = browser().language("en");
		browser.submitLogin(uri("/realms/console-staff/login"), "console-clerk", "console-clerk-pass");
		HttpResponse<String> page = browser.get(uri("/realms/console-staff/account/email"));
		assertThat(Browserless.location(page).getPath()).isEqualTo("/realms/console-staff/account/profile");
		assertThat(Jsoup.parse(browser.get(uri("/realms/console-staff/account/profile")).body())
			.select("#profile-change-email")).isEmpty();
	}

	static URI link(MimeMessage mail) throws Exception {
		Matcher matcher = LINK.matcher((String) mail.getContent());
		assertThat(matcher.find()).as("a confirmation link in the mail").isTrue();
		return URI.create(matcher.group(1));
	}

	private String emailOf(String username) {
		return this.jdbc.sql("select email from account where realm = 'console' and username = :username")
			.param("username", username)
			.query(String.class)
			.single();
	}

}
