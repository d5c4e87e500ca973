package jp.hitotsu.recovery;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.audit.AuditTrail.RecordedAuditEvent;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ServerTest;
import jp.hitotsu.support.TestMailServer;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Forgot password" end to end: the request, the mail through a real SMTP server
 * (GreenMail), the link, the new password and the login with it.
 */
class PasswordRecoveryTests extends ServerTest {

	private static final Pattern LINK = Pattern.compile("(http://\\S+/login/reset-password\\?token=[A-Za-z0-9_-]+)");

	private static final Duration MAIL_TIMEOUT = Duration.ofSeconds(20);

	@Autowired
	AuditTrail audit;

	@Test
	void resetWhenLinkFollowedThenNewPasswordLogsInAndLinkIsSpent() throws Exception {
		Browserless browser = browser().language("ja");
		String loginPage = browser.get(uri("/realms/citizen/login")).body();
		assertThat(Jsoup.parse(loginPage).select("a[href=/realms/citizen/login/forgot-password]").text())
			.isEqualTo("パスワードをお忘れの場合");

		HttpResponse<String> sent = requestLink(browser, "citizen", "Recovery-1@Example.test");
		assertThat(sent.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(sent.body()).select("h1").text()).isEqualTo("メールをご確認ください");

		MimeMessage mail = TestMailServer.awaitMessagesTo("recovery-1@example.test", 1, MAIL_TIMEOUT).get(0);
		assertThat(mail.getSubject()).isEqualTo("市民のパスワード再設定");
		String text = (String) mail.getContent();
		assertThat(text).contains("「recovery-1」").contains("30 分以内");
		URI link = link(text);
		assertThat(link.toString()).startsWith(base() + "/realms/citizen/login/reset-password?token=");

		HttpResponse<String> form = browser.get(link);
		assertThat(form.statusCode()).isEqualTo(200);
		HttpResponse<String> common = setPassword(browser, link, "123456789987654321");
		assertThat(common.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(common.body()).select("#newPassword-error").text()).contains("流出した");

		HttpResponse<String> done = setPassword(browser, link, "川の向こうに見える白い山と青い空");
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(done.body()).select("h1").text()).isEqualTo("パスワードを変更しました");

		HttpResponse<String> login = browser().submitLogin(uri("/realms/citizen/login"), "recovery-1",
				"川の向こうに見える白い山と青い空");
		assertThat(login.statusCode()).as("login with the new password").isEqualTo(302);
		assertThat(browser().submitLogin(uri("/realms/citizen/login"), "recovery-1", "recovery-1-initial-pass")
			.statusCode()).isEqualTo(401);

		HttpResponse<String> reused = browser().language("en").get(link);
		assertThat(reused.statusCode()).isEqualTo(410);
		assertThat(Jsoup.parse(reused.body()).select("#recovery-notice").text())
			.contains("has already been used, has expired");

		List<RecordedAuditEvent> changes = this.audit.newest("citizen", AuditEventType.PASSWORD_CHANGED, null, 20);
		assertThat(changes).anySatisfy((event) -> {
			assertThat(event.event().username()).isEqualTo("recovery-1");
			assertThat(event.event().details()).containsEntry("how", "reset link");
		});
	}

	@Test
	void resetWhenLinkPostedTwiceThenSecondRefused() throws Exception {
		Browserless browser = browser().language("en");
		requestLink(browser, "citizen", "recovery-reuse@example.test");
		MimeMessage mail = TestMailServer.awaitMessagesTo("recovery-reuse@example.test", 1, MAIL_TIMEOUT).get(0);
		assertThat(mail.getSubject()).isEqualTo("Reset your Citizens password");
		URI link = link((String) mail.getContent());
		// two tabs opened on the same link: the first to post wins
		Browserless other = browser().language("en");
		String otherCsrf = Jsoup.parse(other.get(link).body()).select("input[name=_csrf]").attr("value");
		assertThat(setPassword(browser, link, "first tab passphrase here").statusCode()).isEqualTo(200);
		HttpResponse<String> second = other.post(uri("/realms/citizen/login/reset-password"),
				Map.of("_csrf", otherCsrf, "token", link.getQuery().substring("token=".length()), "newPassword",
						"second tab passphrase here", "confirmation", "second tab passphrase here"));
		assertThat(second.statusCode()).isEqualTo(410);
		assertThat(browser().submitLogin(uri("/realms/citizen/login"), "recovery-reuse", "first tab passphrase here")
			.statusCode()).isEqualTo(302);
	}

	@Test
	void resetWhenLinkExpiredThenRefused() throws Exception {
		Browserless browser = browser().language("en");
		requestLink(browser, "quick-links", "recovery-expiry@example.test");
		MimeMessage mail = TestMailServer.awaitMessagesTo("recovery-expiry@example.test", 1, MAIL_TIMEOUT).get(0);
		URI link = link((String) mail.getContent());
		Thread.sleep(1500);
		assertThat(browser.get(link).statusCode()).isEqualTo(410);
		String csrf = Jsoup.parse(browser.get(uri("/realms/quick-links/login/forgot-password")).body())
			.select("input[name=_csrf]")
			.attr("value");
		HttpResponse<String> post = browser.post(uri("/realms/quick-links/login/reset-password"),
				Map.of("_csrf", csrf, "token", link.getQuery().substring("token=".length()), "newPassword",
						"too late for this one", "confirmation", "too late for this one"));
		assertThat(post.statusCode()).isEqualTo(410);
		assertThat(browser().submitLogin(uri("/realms/quick-links/login"), "recovery-expiry",
				"recovery-expiry-initial-pass").statusCode()).as("password unchanged").isEqualTo(302);
	}

	@Test
	void requestWhenAddressUnknownThenSameAnswerAndNoMail() throws Exception {
		Browserless browser = browser().language("en");
		Instant before = Instant.now();
		HttpResponse<String> unknown = requestLink(browser, "citizen", "nobody-here@example.test");
		HttpResponse<String> unverified = requestLink(browser, "citizen", "recovery-unverified@example.test");
		HttpResponse<String> known = requestLink(browser().language("en"), "citizen", "recovery-rejected@example.test");
		assertThat(List.of(unknown.statusCode(), unverified.statusCode(), known.statusCode())).containsOnly(200);
		String answer = Jsoup.parse(known.body()).select("main").outerHtml();
		assertThat(Jsoup.parse(unknown.body()).select("main").outerHtml()).isEqualTo(answer);
		assertThat(Jsoup.parse(unverified.body()).select("main").outerHtml()).isEqualTo(answer);

		TestMailServer.awaitMessagesTo("recovery-rejected@example.test", 1, MAIL_TIMEOUT);
		List<RecordedAuditEvent> requests = awaitResetRequests(before, 3);
		assertThat(requests).anySatisfy((event) -> assertThat(event.event().details())
			.containsEntry("email", "nobody-here@example.test")
			.containsEntry("known", false));
		assertThat(requests).anySatisfy((event) -> assertThat(event.event().details())
			.containsEntry("email", "recovery-unverified@example.test")
			.containsEntry("known", false));
		assertThat(TestMailServer.messagesTo("nobody-here@example.test")).isEmpty();
		assertThat(TestMailServer.messagesTo("recovery-unverified@example.test")).isEmpty();
	}

	@Test
	void requestWhenAskedAgainWithinAMinuteThenNoSecondMail() throws Exception {
		Instant before = Instant.now();
		requestLink(browser(), "citizen", "recovery-browser@example.test");
		requestLink(browser(), "citizen", "recovery-browser@example.test");
		List<RecordedAuditEvent> requests = awaitResetRequests(before, 2);
		assertThat(requests).filteredOn((event) -> "recovery-browser".equals(event.event().username()))
			.extracting((event) -> event.event().details().get("sent"))
			.containsExactlyInAnyOrder(true, false);
		assertThat(TestMailServer.awaitMessagesTo("recovery-browser@example.test", 1, MAIL_TIMEOUT)).hasSize(1);
	}

	@Test
	void requestWhenAddressMissingOrMalformedThenFormError() {
		Browserless browser = browser().language("en");
		HttpResponse<String> missing = requestLink(browser, "citizen", " ");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(missing.body()).select("#email-error").text()).isEqualTo("Enter your e-mail address.");
		HttpResponse<String> malformed = requestLink(browser, "citizen", "not an address");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(malformed.body()).select("#email").attr("aria-invalid")).isEqualTo("true");
	}

	@Test
	void resetPageWhenTokenMissingOrForgedThenLinkUnusable() {
		Browserless browser = browser().language("en");
		for (String query : List.of("", "?token=", "?token=abc", "?token=" + "A".repeat(43), "?token=%00%ff")) {
			HttpResponse<String> page = browser.get(uri("/realms/citizen/login/reset-password" + query));
			assertThat(page.statusCode()).as(query).isIn(400, 410);
			assertThat(page.body()).doesNotContain("Exception");
		}
	}

	@Test
	void forgotPageWhenRealmDoesNotOfferItThenNotFound() {
		HttpResponse<String> page = browser().language("en").get(uri("/realms/staff/login/forgot-password"));
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(Jsoup.parse(page.body()).text()).contains("does not offer password reset by e-mail");
		assertThat(Jsoup.parse(browser().get(uri("/realms/staff/login")).body()).select("a[href$=forgot-password]"))
			.isEmpty();
	}

	private HttpResponse<String> requestLink(Browserless browser, String realm, String email) {
		return browser.submitForm(uri("/realms/" + realm + "/login/forgot-password"), "form.recovery-form",
				Map.of("email", email));
	}

	private static HttpResponse<String> setPassword(Browserless browser, URI link, String password) {
		return browser.submitForm(link, "form.password-form", Map.of("newPassword", password, "confirmation", password));
	}

	private static URI link(String mailText) {
		Matcher matcher = LINK.matcher(mailText);
		assertThat(matcher.find()).as("a reset link in the mail:\n" + mailText).isTrue();
		return URI.create(matcher.group(1));
	}

	/** The reset requests audited since then; they are written in the background. */
	private List<RecordedAuditEvent> awaitResetRequests(Instant since, int count) throws InterruptedException {
		Instant deadline = Instant.now().plus(MAIL_TIMEOUT);
		List<RecordedAuditEvent> events;
		do {
			Thread.sleep(100);
			events = java.util.stream.Stream.of("citizen", "quick-links")
				.flatMap((realm) -> this.audit.newest(realm, AuditEventType.PASSWORD_RESET_REQUESTED, null, 50).stream())
				.filter((event) -> !event.occurredAt().isBefore(since))
				.toList();
		}
		while (events.size() < count && Instant.now().isBefore(deadline));
		return events;
	}

}
