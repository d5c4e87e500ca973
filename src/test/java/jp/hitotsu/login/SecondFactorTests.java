package jp.hitotsu.login;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;


import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.audit.AuditTrail.RecordedAuditEvent;
import jp.hitotsu.support.AuthenticatorApp;
import jp.hitotsu.support.AuthenticatorApp.Enrolment;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static jp.hitotsu.support.Browserless.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Second factors over HTTP, as a browser meets them: enrolment right after the password
 * where the realm needs two factors, authenticator codes accepted once, recovery codes,
 * step-up of a weaker login, and re-authentication on {@code prompt=login} and
 * {@code max_age}. Codes are computed here with an independent RFC 6238 implementation,
 * as a phone app would.
 */
class SecondFactorTests extends ServerTest {

	private static final URI SECURE_CALLBACK = URI.create("https://secure.example.test/callback");

	private static final URI WEB_APP_CALLBACK = URI.create("https://app.example.test/callback");

	@Autowired
	private AuditTrail audit;

	@Test
	void accountWithoutSecondFactorEnrolsRightAfterPasswordAndGetsAal2() throws Exception {
		OidcClient client = client("secure", "secure-app", null);
		OidcClient.Authorization authorization = client.authorization(SECURE_CALLBACK, "openid");
		Browserless browser = browser().language("en");
		HttpResponse<String> afterPassword = passwordStep(browser, authorization.uri(), "mfa-enrol",
				"mfa-enrol-test-pass");
		assertThat(location(afterPassword).getPath()).isEqualTo("/realms/secure/login/second-factor");
		HttpResponse<String> secondFactor = browser.get(location(afterPassword));
		assertThat(location(secondFactor).getPath()).isEqualTo("/realms/secure/login/enroll");
		Document choice = Jsoup.parse(browser.get(location(secondFactor)).body());
		assertThat(choice.select("a.button").eachAttr("href")).contains("/realms/secure/login/enroll/totp",
				"/realms/secure/login/enroll/passkey");

		Enrolment enrolment = enrolTotp(browser, "/realms/secure/login/enroll");
		assertThat(enrolment.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();
		HttpResponse<String> resumed = browser.submit(enrolment.recoveryCodesPage(), "form", Map.of());
		OIDCTokenResponse tokens = client.exchange(browser.authorizeLoggedIn(location(resumed)), authorization);

		JWTClaimsSet id = client.verifyIdToken(tokens.getOIDCTokens().getIDToken(), authorization.nonce());
		assertThat(id.getStringClaim("acr")).isEqualTo("urn:hitotsu:aal2");
		assertThat(id.getStringListClaim("amr")).containsExactlyInAnyOrder("pwd", "otp", "mfa");
		assertThat(newest(AuditEventType.FACTOR_ENROLLED, id.getSubject()).event().details()).containsEntry("factor",
				"totp");
	}

	@Test
	void totpCodeIsAcceptedOnceWithinTheDriftWindow() throws Exception {
		Browserless enrolling = browser();
		passwordStep(enrolling, authorizationUri(), "mfa-totp", "mfa-totp-test-pass");
		byte[] seed = enrolTotp(enrolling, "/realms/secure/login/enroll").seed();

		// the code used to confirm the enrolment is spent: refused at the next login
		Browserless browser = browser().language("en");
		HttpResponse<String> page = secondFactorPage(browser, "mfa-totp", "mfa-totp-test-pass");
		HttpResponse<String> replayed = submitTotp(browser, page, AuthenticatorApp.code(seed, Instant.now()));
		assertThat(replayed.statusCode()).isEqualTo(401);
		assertThat(Jsoup.parse(replayed.body()).select("#factor-error").text()).contains("already used");

		// the next step's code (one step of drift) is accepted, once
		String next = AuthenticatorApp.code(seed, Instant.now().plusSeconds(30));
		HttpResponse<String> accepted = submitTotp(browser, page, next);
		assertThat(accepted.statusCode()).isEqualTo(302);
		assertThat(location(accepted).getPath()).isEqualTo("/realms/secure/oauth2/authorize");

		Browserless another = browser();
		HttpResponse<String> again = submitTotp(another, secondFactorPage(another, "mfa-totp", "mfa-totp-test-pass"),
				next);
		assertThat(again.statusCode()).isEqualTo(401);
		// a code two steps away is outside the window
		HttpResponse<String> farAway = submitTotp(another, secondFactorPage(another, "mfa-totp", "mfa-totp-test-pass"),
				AuthenticatorApp.code(seed, Instant.now().plusSeconds(90)));
		assertThat(farAway.statusCode()).isEqualTo(401);
	}

	@Test
	void codeOfAnotherAccountAndMalformedCodesAreRefusedWithAMessageAndAudited() throws Exception {
		Browserless other = browser();
		passwordStep(other, authorizationUri(), "mfa-other", "mfa-other-test-pass");
		byte[] otherSeed = enrolTotp(other, "/realms/secure/login/enroll").seed();
		Browserless guessing = browser();
		passwordStep(guessing, authorizationUri(), "mfa-guess", "mfa-guess-test-pass");
		enrolTotp(guessing, "/realms/secure/login/enroll");

		Browserless browser = browser().language("en");
		HttpResponse<String> page = secondFactorPage(browser, "mfa-guess", "mfa-guess-test-pass");
		HttpResponse<String> othersCode = submitTotp(browser, page, AuthenticatorApp.code(otherSeed, Instant.now().plusSeconds(30)));
		assertThat(othersCode.statusCode()).isEqualTo(401);
		assertThat(Jsoup.parse(othersCode.body()).select("#factor-error").text()).contains("not right");
		HttpResponse<String> letters = submitTotp(browser, page, "12ab56");
		assertThat(Jsoup.parse(letters.body()).select("#factor-error").text()).contains("6 digits");
		RecordedAuditEvent failure = this.audit.newest("secure", AuditEventType.LOGIN_FAILED, null, 10)
			.stream()
			.filter((event) -> "mfa-guess".equals(event.event().username()))
			.findFirst()
			.orElseThrow();
		assertThat(failure.event().details()).containsEntry("factor", "totp");

		// five wrong codes end the pending login: the password is asked again
		submitTotp(browser, page, "000000");
		submitTotp(browser, page, "000001");
		HttpResponse<String> fifth = submitTotp(browser, page, "000002");
		assertThat(location(fifth).getPath()).isEqualTo("/realms/secure/login");
		assertThat(location(fifth).getQuery()).contains("too_many_attempts");
		assertThat(browser.get(uri("/realms/secure/login/second-factor")).statusCode()).isEqualTo(302);
	}

	@Test
	void recoveryCodeStandsInForTheAppOnce() throws Exception {
		Browserless enrolling = browser();
		passwordStep(enrolling, authorizationUri(), "mfa-recovery", "mfa-recovery-test-pass");
		List<String> codes = enrolTotp(enrolling, "/realms/secure/login/enroll").recoveryCodes();

		Browserless browser = browser();
		HttpResponse<String> page = secondFactorPage(browser, "mfa-recovery", "mfa-recovery-test-pass");
		HttpResponse<String> used = browser.submit(page, "form[action$=/second-factor/recovery-code]",
				Map.of("code", codes.get(3).toUpperCase()));
		assertThat(used.statusCode()).isEqualTo(302);
		assertThat(location(used).getPath()).isEqualTo("/realms/secure/oauth2/authorize");

		Browserless again = browser();
		HttpResponse<String> reused = again.submit(secondFactorPage(again, "mfa-recovery", "mfa-recovery-test-pass"),
				"form[action$=/second-factor/recovery-code]", Map.of("code", codes.get(3)));
		assertThat(reused.statusCode()).isEqualTo(401);
	}

	@Test
	void loginAtAal1StepsUpWithOnlyTheMissingFactorAndKeepsItsSession() throws Exception {
		OidcClient client = client("staff", "web-app", "web-app-secret-0123456789");
		Browserless browser = browser();
		OidcClient.Authorization first = client.authorization(WEB_APP_CALLBACK, "openid");
		OIDCTokenResponse aal1 = client.exchange(browser.authorize(first.uri(), "stepup", "stepup-test-pass"), first);
		JWTClaimsSet firstId = client.verifyIdToken(aal1.getOIDCTokens().getIDToken(), first.nonce());
		assertThat(firstId.getStringClaim("acr")).isEqualTo("urn:hitotsu:aal1");

		// the person adds an authenticator app from the account's security page
		byte[] seed = enrolTotp(browser, "/realms/staff/account/security").seed();

		OidcClient.Authorization stepUp = client.authorization(WEB_APP_CALLBACK, "openid",
				(request) -> request.acrValues(List.of(new ACR("urn:hitotsu:aal2"))));
		HttpResponse<String> toFactor = browser.get(stepUp.uri());
		assertThat(location(toFactor).getPath()).isEqualTo("/realms/staff/login/second-factor");
		HttpResponse<String> page = browser.get(location(toFactor));
		assertThat(Jsoup.parse(page.body()).select("form.login-form")).isEmpty();
		HttpResponse<String> raised = submitTotp(browser, page, AuthenticatorApp.code(seed, Instant.now().plusSeconds(30)));
		OIDCTokenResponse aal2 = client.exchange(browser.authorizeLoggedIn(location(raised)), stepUp);

		JWTClaimsSet id = client.verifyIdToken(aal2.getOIDCTokens().getIDToken(), stepUp.nonce());
		assertThat(id.getStringClaim("acr")).isEqualTo("urn:hitotsu:aal2");
		assertThat(id.getStringListClaim("amr")).containsExactlyInAnyOrder("pwd", "otp", "mfa");
		assertThat(id.getStringClaim("sid")).isEqualTo(firstId.getStringClaim("sid"));
		assertThat(id.getDateClaim("auth_time")).isAfterOrEqualTo(firstId.getDateClaim("auth_time"));
	}

	@Test
	void clientMinimumLevelSendsAnAccountWithoutSecondFactorToEnrolment() {
		OidcClient client = client("staff", "strict-app", null);
		Browserless browser = browser();
		HttpResponse<String> afterPassword = passwordStep(browser,
				client.authorization(URI.create("https://strict.example.test/callback"), "openid").uri(), "strict-user",
				"strict-user-test-pass");
		assertThat(location(afterPassword).getPath()).isEqualTo("/realms/staff/login/second-factor");
		assertThat(location(browser.get(location(afterPassword))).getPath()).isEqualTo("/realms/staff/login/enroll");
	}

	@Test
	void promptLoginAndMaxAgeAskForTheLoginAgain() throws Exception {
		OidcClient client = client("staff", "web-app", "web-app-secret-0123456789");
		Browserless browser = browser();
		OidcClient.Authorization first = client.authorization(WEB_APP_CALLBACK, "openid");
		OIDCTokenResponse tokens = client.exchange(browser.authorize(first.uri(), "suzuki", "suzuki-test-pass"), first);
		String sid = client.verifyIdToken(tokens.getOIDCTokens().getIDToken(), first.nonce()).getStringClaim("sid");

		OidcClient.Authorization promptLogin = client.authorization(WEB_APP_CALLBACK, "openid",
				(request) -> request.prompt(Prompt.Type.LOGIN));
		HttpResponse<String> toLogin = browser.get(promptLogin.uri());
		assertThat(location(toLogin).getPath()).isEqualTo("/realms/staff/login");
		HttpResponse<String> loggedIn = browser.submitLogin(location(toLogin), "suzuki", "suzuki-test-pass");
		URI resumed = location(loggedIn);
		assertThat(resumed.getQuery()).doesNotContain("prompt=login");
		OIDCTokenResponse again = client.exchange(browser.authorizeLoggedIn(resumed), promptLogin);
		JWTClaimsSet id = client.verifyIdToken(again.getOIDCTokens().getIDToken(), promptLogin.nonce());
		assertThat(id.getStringClaim("sid")).isEqualTo(sid);

		Thread.sleep(1100);
		OidcClient.Authorization maxAge = client.authorization(WEB_APP_CALLBACK, "openid",
				(request) -> request.maxAge(1));
		assertThat(location(browser.get(maxAge.uri())).getPath()).isEqualTo("/realms/staff/login");
	}

	@Test
	void promptLoginWithoutALoginAsksForItOnce() {
		OidcClient client = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization promptLogin = client.authorization(WEB_APP_CALLBACK, "openid",
				(request) -> request.prompt(Prompt.Type.LOGIN));
		assertThat(browser().authorize(promptLogin.uri(), "suzuki", "suzuki-test-pass").getHost())
			.as("the login just made answers prompt=login").isEqualTo("app.example.test");
	}

	private URI authorizationUri() {
		return client("secure", "secure-app", null).authorization(SECURE_CALLBACK, "openid").uri();
	}

	private HttpResponse<String> passwordStep(Browserless browser, URI authorizationRequest, String username,
			String password) {
		HttpResponse<String> toLogin = browser.get(authorizationRequest);
		assertThat(toLogin.statusCode()).isEqualTo(302);
		HttpResponse<String> afterPassword = browser.submitLogin(location(toLogin), username, password);
		assertThat(afterPassword.statusCode()).isEqualTo(302);
		return afterPassword;
	}

	private HttpResponse<String> secondFactorPage(Browserless browser, String username, String password) {
		HttpResponse<String> afterPassword = passwordStep(browser, authorizationUri(), username, password);
		assertThat(location(afterPassword).getPath()).isEqualTo("/realms/secure/login/second-factor");
		HttpResponse<String> page = browser.get(location(afterPassword));
		assertThat(page.statusCode()).isEqualTo(200);
		return page;
	}

	private static HttpResponse<String> submitTotp(Browserless browser, HttpResponse<String> page, String code) {
		return browser.submit(page, "form[action$=/second-factor/totp]", Map.of("code", code));
	}

	private Enrolment enrolTotp(Browserless browser, String base) {
		return AuthenticatorApp.enrol(browser, uri(base + "/totp"));
	}

	private RecordedAuditEvent newest(AuditEventType type, String subject) {
		return this.audit.newest("secure", type, subject, 1).get(0);
	}

}
