package jp.hitotsu.registration;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jakarta.mail.internet.MimeMessage;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import jp.hitotsu.support.TestMailServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Citizen sign-up end to end: the form, the mail through a real SMTP server (GreenMail),
 * the verification link, and an OpenID Connect authorization code flow for a client that
 * needs a verified address, refused before the link and completed after it.
 */
class RegistrationTests extends ServerTest {

	static final Pattern LINK = Pattern.compile("(http://\\S+/register/verify\\?token=[A-Za-z0-9_-]+)");

	static final Duration MAIL_TIMEOUT = Duration.ofSeconds(20);

	static final URI PROCEDURES_CALLBACK = URI.create("http://127.0.0.1/procedures/callback");

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Test
	void signUpWhenAddressVerifiedThenClientNeedingItGetsTokens() throws Exception {
		OidcClient client = client("citizen", "procedures", null);
		OidcClient.Authorization authorization = client.authorization(PROCEDURES_CALLBACK, "openid profile email phone");
		Browserless browser = browser().language("ja");
		URI loginPage = Browserless.location(browser.get(authorization.uri()));
		Document login = Jsoup.parse(browser.get(loginPage).body());
		assertThat(login.select("a[href=/realms/citizen/register]").text()).isEqualTo("アカウントを作成する");

		String email = "signup-1@example.test";
		String password = "遠くの山に白い雲がかかっている";
		HttpResponse<String> sent = signUp(browser, "citizen", form(email, password));
		assertThat(sent.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(sent.body()).select("h1").text()).isEqualTo("メールをご確認ください");
		MimeMessage mail = TestMailServer.awaitMessagesTo(email, 1, MAIL_TIMEOUT).get(0);
		assertThat(mail.getSubject()).isEqualTo("市民のメールアドレスの確認");
		URI link = link((String) mail.getContent());
		assertThat((String) mail.getContent()).contains("𠮷田 花子 様").contains("1440 分以内");

		// logged in but unverified: a page that offers the link again, and no code
		HttpResponse<String> afterLogin = browser.submitLogin(loginPage, email, password);
		assertThat(afterLogin.statusCode()).isEqualTo(302);
		URI refused = browser.authorizeLoggedIn(Browserless.location(afterLogin));
		assertThat(refused.getPath()).isEqualTo("/realms/citizen/register/unverified");
		assertThat(refused.getQuery()).isNull();
		HttpResponse<String> unverified = browser.get(refused);
		assertThat(unverified.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(unverified.body()).select("#unverified-message").text()).contains(email);
		assertThat(Jsoup.parse(unverified.body()).select("form.resend-form button").text())
			.isEqualTo("リンクをもう一度送信する");

		HttpResponse<String> confirmPage = browser.get(link);
		assertThat(confirmPage.statusCode()).isEqualTo(200);
		HttpResponse<String> verified = browser.submit(confirmPage, "form.verify-form", Map.of());
		assertThat(verified.statusCode()).as("back to the authorization").isEqualTo(302);
		URI callback = browser.authorizeLoggedIn(Browserless.location(verified));
		assertThat(callback.toString()).startsWith(PROCEDURES_CALLBACK.toString());
		OIDCTokenResponse tokens = client.exchange(callback, authorization);
		JWTClaimsSet id = client.verifyIdToken(tokens.getOIDCTokens().getIDToken(), authorization.nonce());
		assertThat(id.getStringClaim("preferred_username")).isEqualTo(email);
		assertThat(id.getBooleanClaim("email_verified")).isTrue();
		assertThat(id.getStringClaim("family_name")).isEqualTo("𠮷田");
		assertThat(id.getStringClaim("given_name")).isEqualTo("花子");
		assertThat(id.getStringClaim("name")).isEqualTo("𠮷田 花子");
		assertThat(id.getStringClaim("phone_number")).isEqualTo("+819012345678");
		assertThat(id.getBooleanClaim("phone_number_verified")).isFalse();
		assertThat(id.getClaims()).doesNotContainKey("verified_claims");

		HttpResponse<String> reused = browser().language("en").get(link);
		assertThat(reused.statusCode()).isEqualTo(410);
		assertThat(Jsoup.parse(reused.body()).select("#recovery-notice").text()).contains("already been used");

		String subject = Accounts.subjectOf(this.jdbc, "citizen", email);
		assertThat(this.accounts.person("citizen", subject)).hasValueSatisfying((person) -> {
			assertThat(person.familyNameKana()).isEqualTo("ヨシダ");
			assertThat(person.givenNameKana()).isEqualTo("ハナコ");
			assertThat(person.romanisedName()).isEqualTo("YOSHIDA Hanako");
		});
		assertThat(this.accounts.assurance("citizen", subject)).hasValueSatisfying((assurance) -> {
			assertThat(assurance.ial()).isEqualTo(1);
			assertThat(assurance.evidence()).singleElement().satisfies((evidence) -> {
				assertThat(evidence.evidence()).isEqualTo("email");
				assertThat(evidence.method()).isEqualTo("link");
			});
		});
	}

	@Test
	void signUpWhenAddressTakenThenSameAnswerAndOwnerIsTold() throws Exception {
		HttpResponse<String> taken = signUp(browser().language("en"), "citizen",
				form("Registered-Owner@Example.test", "a stranger tries this address"));
		HttpResponse<String> fresh = signUp(browser().language("en"), "citizen",
				form("signup-fresh@example.test", "a newcomer with a new address"));
		assertThat(taken.statusCode()).isEqualTo(fresh.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(taken.body()).select("main").outerHtml())
			.isEqualTo(Jsoup.parse(fresh.body()).select("main").outerHtml());

		MimeMessage notice = TestMailServer.awaitMessagesTo("registered-owner@example.test", 1, MAIL_TIMEOUT).get(0);
		assertThat(notice.getSubject()).isEqualTo("Someone tried to create an account with your address at Citizens");
		assertThat((String) notice.getContent()).contains("\"registered-owner\"").doesNotContain("token=");
		assertThat(TestMailServer.awaitMessagesTo("signup-fresh@example.test", 1, MAIL_TIMEOUT)).hasSize(1);
		assertThat(this.jdbc.sql("select count(*) from account where realm = 'citizen' and lower(email) = :email")
			.param("email", "registered-owner@example.test")
			.query(Integer.class)
			.single()).isEqualTo(1);
		assertThat(this.accounts.authenticate("citizen", "registered-owner", "registered-owner-pass", "127.0.0.1"))
			.as("the owner's password is untouched")
			.isPresent();
	}

	@Test
	void signUpWhenInputBadThenLocalizedFieldErrors() {
		Map<String, String> bad = new LinkedHashMap<>(form(" ", "short"));
		bad.put("familyName", "");
		bad.put("familyNameKana", "山田");
		bad.put("romanisedName", "山田");
		bad.put("phoneNumber", "090-1234-5678");
		HttpResponse<String> ja = signUp(browser().language("ja"), "citizen", bad);
		assertThat(ja.statusCode()).isEqualTo(400);
		Document page = Jsoup.parse(ja.body());
		assertThat(page.select("#email-error").text()).isEqualTo("メールアドレスを入力してください。");
		assertThat(page.select("#familyName-error").text()).isEqualTo("「姓」を入力してください。");
		assertThat(page.select("#familyNameKana-error").text())
			.isEqualTo("「姓（フリガナ）」はカタカナまたはひらがなで入力してください。");
		assertThat(page.select("#romanisedName-error").text()).isEqualTo("「ローマ字氏名」はローマ字で入力してください。");
		assertThat(page.select("#phoneNumber-error").text()).contains("+81 90 1234 5678");
		assertThat(page.select("#newPassword-error").text()).contains("15");
		assertThat(page.select("#register-errors li")).hasSize(6);
		assertThat(page.select("#familyNameKana").attr("aria-invalid")).isEqualTo("true");
		assertThat(page.select("#givenName").val()).isEqualTo("花子");

		Map<String, String> common = new LinkedHashMap<>(form("not an address", "123456789987654321"));
		common.put("confirmation", "123456789987654321");
		HttpResponse<String> en = signUp(browser().language("en"), "citizen", common);
		assertThat(en.statusCode()).isEqualTo(400);
		Document english = Jsoup.parse(en.body());
		assertThat(english.select("#email-error").text()).isEqualTo("Enter an e-mail address such as name@example.jp.");
		assertThat(english.select("#newPassword-error").text()).isNotBlank();

		Map<String, String> mismatch = new LinkedHashMap<>(form("signup-mismatch@example.test", "a long enough passphrase"));
		mismatch.put("confirmation", "another long passphrase");
		assertThat(Jsoup.parse(signUp(browser().language("en"), "citizen", mismatch).body()).select("#confirmation-error")
			.text()).isNotBlank();
		assertThat(TestMailServer.messagesTo("signup-mismatch@example.test")).isEmpty();
	}

	@Test
	void verifyWhenLinkExpiredOrForgedThenGone() throws Exception {
		Browserless browser = browser().language("en");
		signUp(browser, "quick-links", form("signup-expiry@example.test", "an expiring link passphrase"));
		URI link = link((String) TestMailServer.awaitMessagesTo("signup-expiry@example.test", 1, MAIL_TIMEOUT)
			.get(0)
			.getContent());
		Thread.sleep(1500);
		HttpResponse<String> expired = browser.get(link);
		assertThat(expired.statusCode()).isEqualTo(410);
		assertThat(Jsoup.parse(expired.body()).select("h1").text()).isEqualTo("This link does not work");
		for (String query : List.of("", "?token=", "?token=abc", "?token=" + "A".repeat(43), "?token=%00%ff")) {
			HttpResponse<String> page = browser.get(uri("/realms/citizen/register/verify" + query));
			assertThat(page.statusCode()).as(query).isIn(400, 410);
			assertThat(page.body()).doesNotContain("Exception");
		}
		assertThat(this.jdbc.sql("select email_verified from account where realm = 'quick-links' and username = :u")
			.param("u", "signup-expiry@example.test")
			.query(Boolean.class)
			.single()).isFalse();
	}

	@Test
	void authorizeWhenAccountUnverifiedThenPageResendsLinkOnceAMinute() throws Exception {
		OidcClient client = client("citizen", "procedures", null);
		OidcClient.Authorization authorization = client.authorization(PROCEDURES_CALLBACK, "openid email");
		Browserless browser = browser().language("en");
		URI refused = browser.authorize(authorization.uri(), "signup-unverified", "signup-unverified-pass");
		assertThat(refused.getPath()).isEqualTo("/realms/citizen/register/unverified");
		HttpResponse<String> page = browser.get(refused);
		assertThat(Jsoup.parse(page.body()).select("h1").text()).isEqualTo("Confirm your e-mail address first");
		HttpResponse<String> resent = browser.submit(page, "form.resend-form", Map.of());
		assertThat(Jsoup.parse(resent.body()).select("#unverified-status").text())
			.isEqualTo("We have sent a new link to signup-unverified@example.test.");
		HttpResponse<String> again = browser.submit(resent, "form.resend-form", Map.of());
		assertThat(Jsoup.parse(again.body()).select("#unverified-status").text()).contains("less than a minute ago");
		assertThat(TestMailServer.awaitMessagesTo("signup-unverified@example.test", 1, MAIL_TIMEOUT)).hasSize(1);
		// the staff-style client without the setting is not held back
		OidcClient demo = client("citizen", "hitotsu-demo", null);
		OidcClient.Authorization other = demo.authorization(URI.create("http://127.0.0.1/demo/citizen/callback"), "openid");
		assertThat(browser.authorizeLoggedIn(other.uri()).getQuery()).contains("code=");
	}

	@Test
	void registerWhenRealmDoesNotOfferItThenNotFound() {
		HttpResponse<String> page = browser().language("en").get(uri("/realms/staff/register"));
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(Jsoup.parse(page.body()).text()).contains("Realm \"staff\" does not offer sign-up");
		assertThat(Jsoup.parse(browser().get(uri("/realms/staff/login")).body()).select("a[href$=register]")).isEmpty();
	}

	static Map<String, String> form(String email, String password) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("email", email);
		form.put("familyName", "𠮷田");
		form.put("givenName", "花子");
		form.put("familyNameKana", "ヨシダ");
		form.put("givenNameKana", "ハナコ");
		form.put("romanisedName", "YOSHIDA Hanako");
		form.put("phoneNumber", "+81 90-1234-5678");
		form.put("newPassword", password);
		form.put("confirmation", password);
		return form;
	}

	HttpResponse<String> signUp(Browserless browser, String realm, Map<String, String> form) {
		return browser.submitForm(uri("/realms/" + realm + "/register"), "form.register-form", form);
	}

	static URI link(String mailText) {
		Matcher matcher = LINK.matcher(mailText);
		assertThat(matcher.find()).as("a verification link in the mail:\n" + mailText).isTrue();
		return URI.create(matcher.group(1));
	}

}
