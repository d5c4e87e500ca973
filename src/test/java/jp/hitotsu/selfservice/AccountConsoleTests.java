package jp.hitotsu.selfservice;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.directory.DirectoryService;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account console over HTTP: its home and navigation, the profile (what the realm lets
 * its people edit, checked and saved against the version shown) and the applications page
 * (revoking one ends its tokens and its consent).
 */
class AccountConsoleTests extends ServerTest {

	private static final String HOME = "/realms/console/account";

	private static final String PROFILE = "/realms/console/account/profile";

	private static final String STAFF_PROFILE = "/realms/console-staff/account/profile";

	private static final String APPLICATIONS = "/realms/console/account/applications";

	private static final URI CALLBACK = URI.create("https://console-app.example.test/callback");

	@Autowired
	AuditTrail audit;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DirectoryService directory;

	@Test
	void homeWhenNotLoggedInThenLoginFirstAndBackHere() {
		Browserless browser = browser().language("en");
		HttpResponse<String> page = browser.get(uri(HOME));
		assertThat(Browserless.location(page).getPath()).isEqualTo("/realms/console/login");
		HttpResponse<String> loggedIn = browser.submitLogin(Browserless.location(page), "console-apps",
				"console-apps-pass");
		assertThat(Browserless.location(loggedIn).getPath()).isEqualTo(HOME);

		Document home = Jsoup.parse(browser.get(uri(HOME)).body());
		assertThat(home.select("#account-owner").text()).isEqualTo("You are logged in as 佐藤 一郎 (console-apps).");
		assertThat(home.select("nav.account-nav a").eachAttr("href")).containsExactly(HOME, PROFILE,
				HOME + "/password", HOME + "/security", HOME + "/sessions", APPLICATIONS, HOME + "/delete");
		assertThat(home.select("nav.account-nav a[aria-current=page]").text()).isEqualTo("Account home");
		// every account page carries the same navigation, its own entry marked
		for (String page2 : new String[] { PROFILE, HOME + "/password", HOME + "/security", HOME + "/sessions",
				APPLICATIONS }) {
			Document other = Jsoup.parse(browser.get(uri(page2)).body());
			assertThat(other.select("nav.account-nav a[aria-current=page]").attr("href")).as(page2).isEqualTo(page2);
			assertThat(other.select("nav.account-nav .account-user").text()).isEqualTo("Logged in as console-apps");
		}
	}

	@Test
	void homeWhenRealmHasNoSignUpThenNoDeletion() {
		Browserless browser = browser().language("ja");
		browser.submitLogin(uri("/realms/console-staff/login"), "console-clerk", "console-clerk-pass");
		Document home = Jsoup.parse(browser.get(uri("/realms/console-staff/account")).body());
		assertThat(home.select("nav.account-nav a").eachText()).containsExactly("アカウントのトップ", "プロフィール",
				"パスワード", "ログインとセキュリティ", "ログイン中の端末", "アプリケーション");
	}

	@Test
	void profileWhenEditedThenSavedShownAndAudited() {
		Browserless browser = browser().language("en");
		browser.submitLogin(uri("/realms/console/login"), "console-profile", "console-profile-pass");
		Document before = Jsoup.parse(browser.get(uri(PROFILE)).body());
		assertThat(before.select("#profile-email").text()).isEqualTo("console-profile@example.test (confirmed)");
		assertThat(before.select("#profile-ial").text()).isEqualTo("Level 1 (self-declared)");
		assertThat(before.select("form.profile-form input:not([type=hidden])").eachAttr("name"))
			.containsExactly("familyName", "givenName", "familyNameKana", "givenNameKana", "romanisedName", "phoneNumber");

		HttpResponse<String> saved = browser.submitForm(uri(PROFILE), "form.profile-form",
				Map.of("familyName", "山﨑", "givenName", "花子", "familyNameKana", "ヤマサキ", "givenNameKana", "ハナコ",
						"romanisedName", "YAMASAKI Hanako", "phoneNumber", "+81 90-1234-5678"));
		assertThat(saved.statusCode()).isEqualTo(302);
		Document after = Jsoup.parse(browser.get(Browserless.location(saved)).body());
		assertThat(after.select("#profile-saved").text()).isEqualTo("Your details have been saved.");
		assertThat(after.select("#familyName").val()).isEqualTo("山﨑");
		assertThat(after.select("#familyNameKana").val()).isEqualTo("ヤマサキ");
		assertThat(after.select("#phoneNumber").val()).isEqualTo("+819012345678");

		String subject = Accounts.subjectOf(this.jdbc, "console", "console-profile");
		assertThat(this.audit.newest("console", AuditEventType.ACCOUNT_UPDATED, subject, 1))
			.extracting((event) -> event.event().details())
			.containsExactly(Map.of("via", "self-service", "fields",
					"familyName familyNameKana givenNameKana romanisedName phoneNumber"));
		// the token's name follows
		assertThat(this.jdbc.sql("select display_name from account where id = cast(:id as uuid)")
			.param("id", subject)
			.query(String.class)
			.single()).isEqualTo("山﨑 花子");
	}

	@Test
	void profileWhenBadValuesThenLocalizedFieldErrorsAndNothingSaved() {
		Browserless en = browser().language("en");
		en.submitLogin(uri("/realms/console/login"), "console-browser-en", "console-browser-pass");
		HttpResponse<String> refused = en.submitForm(uri(PROFILE), "form.profile-form",
				Map.of("phoneNumber", "090-1234-5678", "familyNameKana", "Suzuki", "givenName", " "));
		assertThat(refused.statusCode()).isEqualTo(400);
		Document page = Jsoup.parse(refused.body());
		assertThat(page.select("#phoneNumber-error").text())
			.isEqualTo("\"Phone number\" must be a phone number with its country code, such as +81 90 1234 5678.");
		assertThat(page.select("#phoneNumber").attr("aria-invalid")).isEqualTo("true");
		assertThat(page.select("#phoneNumber").val()).as("what was typed stays").isEqualTo("090-1234-5678");
		assertThat(page.select("#familyNameKana-error").text()).contains("katakana or hiragana");
		assertThat(page.select("#givenName-error").text()).isEqualTo("\"Given name\" is required.");
		assertThat(page.select("[role=alert] a[href=#phoneNumber]")).hasSize(1);

		Browserless ja = browser().language("ja");
		ja.submitLogin(uri("/realms/console/login"), "console-browser-ja", "console-browser-pass");
		HttpResponse<String> japanese = ja.submitForm(uri(PROFILE), "form.profile-form",
				Map.of("phoneNumber", "電話"));
		assertThat(japanese.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(japanese.body()).select("#phoneNumber-error").text()).contains("電話番号");
		assertThat(this.jdbc.sql("select count(*) from account where realm = 'console' and phone_number is not null"
				+ " and username like 'console-browser-%'").query(Long.class).single()).isZero();
	}

	@Test
	void profileWhenFieldNotEditableThenRefusedAndStaffSeeDirectoryReadOnly() {
		String subject = Accounts.subjectOf(this.jdbc, "console-staff", "console-clerk");
		Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS);
		this.directory.saveUnit("console-staff", new DirectoryService.UnitInput("CS-100", "section", "総務課",
				"General Affairs Section", null, yesterday, null));
		this.directory.saveStaff("console-staff", UUID.fromString(subject),
				new DirectoryService.StaffInput("E-9001", "田中", "三郎", "タナカ", "サブロウ", "TANAKA Saburo", null));
		if (this.directory.currentPosts("console-staff", UUID.fromString(subject)).isEmpty()) {
			this.directory.addAssignment("console-staff", UUID.fromString(subject),
					new DirectoryService.AssignmentInput("CS-100", "primary", "課長", yesterday, null));
		}
		Browserless browser = browser().language("en");
		browser.submitLogin(uri("/realms/console-staff/login"), "console-clerk", "console-clerk-pass");
		Document page = Jsoup.parse(browser.get(uri(STAFF_PROFILE)).body());
		assertThat(page.select("form.profile-form input:not([type=hidden])").eachAttr("name"))
			.containsExactly("phoneNumber");
		assertThat(page.select("#profile-familyName").text()).isEqualTo("田中");
		assertThat(page.select("#profile-employee-number").text()).isEqualTo("E-9001");
		assertThat(page.select("#profile-posts tbody td").eachText()).containsExactly("General Affairs Section", "課長",
				"Primary post");

		HttpResponse<String> refused = browser.submitForm(uri(STAFF_PROFILE), "form.profile-form",
				Map.of("familyName", "鈴木", "phoneNumber", "+81312345678"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(refused.body()).select("[role=alert] a[href=#familyName]").text())
			.isEqualTo("\"Family name\" cannot be changed here.");
		assertThat(this.jdbc.sql("select family_name || coalesce(phone_number, '-') from account where id = cast(:id as uuid)")
			.param("id", subject)
			.query(String.class)
			.single()).isEqualTo("田中-");

		HttpResponse<String> phone = browser.submitForm(uri(STAFF_PROFILE), "form.profile-form",
				Map.of("phoneNumber", "+81312345678"));
		assertThat(phone.statusCode()).isEqualTo(302);
		assertThat(Jsoup.parse(browser.get(uri(STAFF_PROFILE)).body()).select("#phoneNumber").val())
			.isEqualTo("+81312345678");
	}

	@Test
	void profileWhenChangedMeanwhileThenConflictAndNothingOverwritten() {
		Browserless browser = browser().language("en");
		browser.submitLogin(uri("/realms/console/login"), "console-browser-en", "console-browser-pass");
		HttpResponse<String> form = browser.get(uri(PROFILE));
		String subject = Accounts.subjectOf(this.jdbc, "console", "console-browser-en");
		// an administrator's change while the form is open
		this.jdbc.sql("update account set romanised_name = 'SUZUKI Saburo', version = version + 1"
				+ " where id = cast(:id as uuid)").param("id", subject).update();

		HttpResponse<String> stale = browser.submit(form, "form.profile-form",
				Map.of("romanisedName", "SUZUKI Sab", "familyName", "鈴木", "givenName", "三郎"));
		assertThat(stale.statusCode()).isEqualTo(409);
		Document page = Jsoup.parse(stale.body());
		assertThat(page.select("#profile-form-error").text()).startsWith("Your details were changed elsewhere");
		assertThat(this.jdbc.sql("select romanised_name from account where id = cast(:id as uuid)")
			.param("id", subject)
			.query(String.class)
			.single()).isEqualTo("SUZUKI Saburo");
		// saved again from the page that now shows the current version, it goes through
		assertThat(browser.submit(stale, "form.profile-form", Map.of("romanisedName", "SUZUKI Sab")).statusCode())
			.isEqualTo(302);
	}

	@Test
	void revokeWhenConfirmedThenTokensEndAndConsentIsAskedAgain() {
		Browserless browser = browser().language("en");
		OidcClient app = client("console", "console-app", "console-app-secret-0123456789");
		OidcClient.Authorization authorization = app.authorization(CALLBACK, "openid profile phone");
		URI consent = browser.authorize(authorization.uri(), "console-apps", "console-apps-pass");
		assertThat(consent.getPath()).isEqualTo("/consent");
		Document consentPage = Jsoup.parse(browser.get(consent).body(), consent.toString());
		URI callback = browser.submitAll(consentPage.selectFirst("form.consent-form"));
		RefreshToken refresh = app.exchange(callback, authorization).getOIDCTokens().getRefreshToken();
		assertThat(refresh).isNotNull();

		Document list = Jsoup.parse(browser.get(uri(APPLICATIONS)).body(), uri(APPLICATIONS).toString());
		assertThat(list.select("#application-list tr[data-client=console-app] td").eachText().subList(0, 2))
			.containsExactly("市民ポータル", "Your phone number Your name and username");
		assertThat(list.select("#application-list tr[data-client=console-app] td").get(2).text())
			.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}");

		// the confirmation page changes nothing
		URI confirm = URI.create(list.select("#application-list tr[data-client=console-app] a").attr("abs:href"));
		HttpResponse<String> confirmation = browser.get(confirm);
		assertThat(Jsoup.parse(confirmation.body()).select("h1").text()).isEqualTo("Revoke access of 市民ポータル?");
		TokenResponse stillValid = app.refresh(refresh);
		assertThat(stillValid.indicatesSuccess()).isTrue();
		refresh = stillValid.toSuccessResponse().getTokens().getRefreshToken();

		HttpResponse<String> revoked = browser.submit(confirmation, "form.revoke-form", Map.of());
		assertThat(revoked.statusCode()).isEqualTo(302);
		Document after = Jsoup.parse(browser.get(Browserless.location(revoked)).body());
		assertThat(after.select("#applications-revoked").text()).isEqualTo("The application's access has been revoked.");
		assertThat(after.select("#application-list tr[data-client=console-app]")).isEmpty();

		TokenResponse refused = app.refresh(refresh);
		assertThat(refused.indicatesSuccess()).isFalse();
		assertThat(((TokenErrorResponse) refused).getErrorObject().getCode()).isEqualTo("invalid_grant");
		OidcClient.Authorization again = app.authorization(CALLBACK, "openid profile");
		assertThat(browser.authorizeLoggedIn(again.uri()).getPath()).as("consent asked again").isEqualTo("/consent");

		String subject = Accounts.subjectOf(this.jdbc, "console", "console-apps");
		Map<String, Object> details = this.audit.newest("console", AuditEventType.CONSENT_REVOKED, subject, 1)
			.get(0)
			.event()
			.details();
		assertThat(details).containsEntry("via", "account-console").containsEntry("revoked_grants", 1);
		assertThat(details.get("scope").toString().split(" ")).containsExactlyInAnyOrder("openid", "phone", "profile");
	}

	@Test
	void revokeWhenNoSuchApplicationThenNotFound() {
		Browserless browser = browser().language("en");
		browser.submitLogin(uri("/realms/console/login"), "console-browser-en", "console-browser-pass");
		HttpResponse<String> page = browser.get(uri(APPLICATIONS + "/revoke?client=nobody"));
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(Jsoup.parse(page.body()).select("#applications-error").text())
			.isEqualTo("No application \"nobody\" uses your account.");
		HttpResponse<String> list = browser.get(uri(APPLICATIONS));
		HttpResponse<String> posted = browser.post(uri(APPLICATIONS + "/revoke"),
				Map.of("client", "console-app", "_csrf", Jsoup.parse(list.body()).select("meta[name=csrf-token]").attr("content")));
		assertThat(posted.statusCode()).as("an application this person never let in").isEqualTo(404);
	}

}
