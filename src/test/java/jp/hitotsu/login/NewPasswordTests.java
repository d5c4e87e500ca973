package jp.hitotsu.login;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A temporary password set by an administrator must be replaced at the next login, before
 * any code or token is issued; the new one follows the realm's policy.
 */
class NewPasswordTests extends ServerTest {

	private static final URI SPA_CALLBACK = URI.create("https://spa.example.test/callback");

	@Autowired
	AccountService accounts;

	@Autowired
	AuditTrail audit;

	@Autowired
	JdbcClient jdbc;

	@Test
	void loginWhenTemporaryPasswordThenNewPasswordChosenBeforeTheAuthorizationContinues() throws Exception {
		String subject = Accounts.subjectOf(this.jdbc, "staff", "temporary-1");
		String temporary = this.accounts.setTemporaryPassword("staff", subject).orElseThrow();
		assertThat(temporary).matches("[a-z2-9]{5}(-[a-z2-9]{5}){3}");
		assertThat(this.accounts.passwordChangeRequired("staff", subject)).isTrue();

		OidcClient spa = client("staff", "spa", null);
		OidcClient.Authorization authorization = spa.authorization(SPA_CALLBACK, "openid");
		Browserless browser = browser().language("en");
		URI loginPage = Browserless.location(browser.get(authorization.uri()));
		HttpResponse<String> afterLogin = browser.submitLogin(loginPage, "temporary-1", temporary);
		assertThat(afterLogin.statusCode()).isEqualTo(302);
		URI newPasswordPage = Browserless.location(afterLogin);
		assertThat(newPasswordPage.getPath()).isEqualTo("/realms/staff/login/new-password");
		assertThat(browser.get(authorization.uri()).statusCode()).as("no code before the new password").isEqualTo(302);
		assertThat(Browserless.location(browser.get(authorization.uri())).getPath()).isEqualTo("/realms/staff/login");

		// the authorization request above replaced the saved one; the login goes on as before
		browser.submitLogin(loginPage, "temporary-1", temporary);
		assertRefused(choose(browser, temporary, temporary), "The new password is the same as the old one.");
		assertRefused(choose(browser, "short-one", "short-one"), "use at least 15 characters");
		assertRefused(choose(browser, "1qaz2wsx3edc4rfv", "1qaz2wsx3edc4rfv"), "list of common or leaked passwords");
		assertRefused(choose(browser, "a brand new passphrase", "a brand new passfrase"), "are different");
		assertThat(this.accounts.passwordChangeRequired("staff", subject)).as("nothing changed yet").isTrue();

		HttpResponse<String> chosen = choose(browser, "a brand new passphrase", "a brand new passphrase");
		assertThat(chosen.statusCode()).isEqualTo(302);
		URI resumed = Browserless.location(chosen);
		assertThat(resumed.getPath()).isEqualTo("/realms/staff/oauth2/authorize");
		URI callback = browser.authorizeLoggedIn(resumed);
		assertThat(spa.exchange(callback, authorization).getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject())
			.isEqualTo(subject);
		assertThat(this.accounts.passwordChangeRequired("staff", subject)).isFalse();

		assertThat(browser().submitLogin(uri("/realms/staff/login"), "temporary-1", temporary).statusCode())
			.as("the temporary password is gone")
			.isEqualTo(401);
		HttpResponse<String> again = browser().submitLogin(uri("/realms/staff/login"), "temporary-1",
				"a brand new passphrase");
		assertThat(Browserless.location(again).getPath()).as("no second change asked").isEqualTo("/realms/staff/login");
		assertThat(this.audit.newest("staff", AuditEventType.PASSWORD_RESET, subject, 1)).hasSize(1);
		assertThat(this.audit.newest("staff", AuditEventType.PASSWORD_CHANGED, subject, 1)).singleElement()
			.satisfies((event) -> assertThat(event.event().details()).containsEntry("how", "temporary password replaced"));
	}

	@Test
	void newPasswordPageWhenJapaneseThenPolicyAndErrorsInJapanese() {
		String subject = Accounts.subjectOf(this.jdbc, "staff", "temporary-2");
		String temporary = this.accounts.setTemporaryPassword("staff", subject).orElseThrow();
		Browserless browser = browser().language("ja");
		browser.submitLogin(uri("/realms/staff/login"), "temporary-2", temporary);
		String page = Jsoup.parse(browser.get(uri("/realms/staff/login/new-password")).body()).text();
		assertThat(page).contains("新しいパスワードの設定").contains("15～128 文字");
		HttpResponse<String> refused = choose(browser, "みじかい", "みじかい");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(refused.body()).select("#newPassword-error").text())
			.isEqualTo("新しいパスワードが短すぎます。15 文字以上にしてください。");
	}

	@Test
	void newPasswordPageWhenNoLoginNeedsItThenLoginPage() {
		Browserless browser = browser();
		HttpResponse<String> page = browser.get(uri("/realms/staff/login/new-password"));
		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(Browserless.location(page).getPath()).isEqualTo("/realms/staff/login");
		// a post with a valid CSRF token, but no login in progress
		String csrf = Jsoup.parse(browser.get(uri("/realms/staff/login")).body())
			.select("form.login-form input[name=_csrf]")
			.attr("value");
		HttpResponse<String> post = browser.post(uri("/realms/staff/login/new-password"),
				Map.of("_csrf", csrf, "newPassword", "a brand new passphrase", "confirmation", "a brand new passphrase"));
		assertThat(post.statusCode()).isEqualTo(302);
		assertThat(Browserless.location(post).getPath()).isEqualTo("/realms/staff/login");
		// nor does a completed login that needed none
		browser.submitLogin(uri("/realms/staff/login"), "suzuki", "suzuki-test-pass");
		assertThat(Browserless.location(browser.get(uri("/realms/staff/login/new-password"))).getPath())
			.isEqualTo("/realms/staff/login");
	}

	@Test
	void setTemporaryPasswordWhenUnknownAccountThenEmpty() {
		assertThat(this.accounts.setTemporaryPassword("staff", "00000000-0000-0000-0000-000000000000")).isEmpty();
		assertThat(this.accounts.setTemporaryPassword("staff", "not-a-uuid")).isEmpty();
		String citizen = Accounts.subjectOf(this.jdbc, "citizen", "yamada");
		assertThat(this.accounts.setTemporaryPassword("staff", citizen)).as("an account of another realm").isEmpty();
	}

	private HttpResponse<String> choose(Browserless browser, String password, String confirmation) {
		return browser.submitForm(uri("/realms/staff/login/new-password"), "form.password-form",
				Map.of("newPassword", password, "confirmation", confirmation));
	}

	private static void assertRefused(HttpResponse<String> response, String message) {
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(response.body()).select(".error-summary").text()).contains(message);
	}

}
