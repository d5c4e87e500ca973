package jp.hitotsu.login;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PageAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ServerTest;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys in headless Chromium with a virtual authenticator (Chrome DevTools Protocol
 * {@code WebAuthn.addVirtualAuthenticator}), on {@code localhost}: WebAuthn needs a
 * domain, not an IP address. Registration during the login, password + passkey,
 * passwordless login, and removal; axe checks the pages in English and Japanese.
 */
class PasskeyBrowserTests extends ServerTest {

	@Autowired
	private AuditTrail audit;

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@Test
	void passkeyRegisteredAtLoginServesAsSecondFactorAndAloneThenCanBeRemoved() {
		Page page = openWithAuthenticator("en-US");
		List<String> violations = new ArrayList<>();

		// first login: password, then the realm asks for a second factor: a passkey
		passwordLogin(page, "mfa-passkey", "mfa-passkey-test-pass");
		expect(page).hasURL(Pattern.compile(".*/realms/secure/login/enroll$"));
		violations.addAll(Chromium.axe(page, "enrolment choice"));
		page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
				new Page.GetByRoleOptions().setName("Set up a passkey")).click();
		violations.addAll(Chromium.axe(page, "passkey enrolment"));
		page.locator("#passkey-label").fill("Test authenticator");
		page.locator("#passkey-register").click();
		expectLoggedIn(page);

		// second login: password + passkey
		logout(page);
		passwordLogin(page, "mfa-passkey", "mfa-passkey-test-pass");
		expect(page).hasURL(Pattern.compile(".*/realms/secure/login/second-factor$"));
		violations.addAll(Chromium.axe(page, "second factor"));
		page.locator("#passkey-login").click();
		expectLoggedIn(page);

		// an answer signed for one challenge is refused once another was issued
		logout(page);
		page.navigate(localBase() + "/realms/secure/login");
		assertThat(answerToAnEarlierChallenge(page)).contains("could not be verified");
		assertThat(this.audit.newest("secure", AuditEventType.LOGIN_FAILED, null, 1).get(0).event().details())
			.containsEntry("factor", "passkey")
			.containsEntry("reason", "not-verified");

		// third login: the passkey alone (the authenticator verifies the person)
		page.navigate(localBase() + "/realms/secure/login");
		violations.addAll(Chromium.axe(page, "login with passkey offer"));
		page.locator("#passkey-login").click();
		expectLoggedIn(page);
		assertThat(this.audit.newest("secure", AuditEventType.LOGIN, null, 1).get(0).event().details())
			.containsEntry("acr", "urn:hitotsu:aal3")
			.containsEntry("amr", List.of("hwk", "user", "mfa"));

		// the security page lists it; the last second factor cannot go
		page.navigate(localBase() + "/realms/secure/account/security");
		violations.addAll(Chromium.axe(page, "security page"));
		expect(page.locator("#passkey-list tbody tr")).hasCount(1);
		expect(page.locator("#passkey-list")).containsText("Test authenticator");
		page.locator("#passkey-list button").click();
		expect(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT).first())
			.containsText("last second factor");

		// with an authenticator app added, the passkey can be removed
		page.navigate(localBase() + "/realms/secure/account/security/totp");
		String secret = page.locator("#totp-secret").textContent().replace(" ", "").toUpperCase();
		page.locator("#code").fill(code(secret));
		page.locator("form button[type=submit]").click();
		expect(page.locator("#recovery-codes li")).hasCount(10);
		page.navigate(localBase() + "/realms/secure/account/security");
		page.locator("#passkey-list button").click();
		expect(page.locator("#passkey-list")).hasCount(0);
		expect(page.locator("main")).containsText("No passkey yet.");

		assertThat(violations).as(() -> String.join("\n", violations)).isEmpty();
	}

	@Test
	void pagesOfSecondFactorsHaveNoAccessibilityViolationsInJapanese() {
		Page page = openWithAuthenticator("ja-JP");
		passwordLogin(page, "mfa-enrol", "mfa-enrol-test-pass");
		List<String> violations = new ArrayList<>();
		page.navigate(localBase() + "/realms/secure/login/enroll");
		expect(page.locator("html")).hasAttribute("lang", "ja");
		expect(page.locator("h1")).hasText("二要素目の登録");
		violations.addAll(Chromium.axe(page, "enrolment choice (ja)"));
		page.navigate(localBase() + "/realms/secure/login/enroll/totp");
		expect(page.locator("h1")).hasText("認証アプリの登録");
		violations.addAll(Chromium.axe(page, "authenticator enrolment (ja)"));
		page.locator("#code").fill("12ab");
		page.locator("form button[type=submit]").click();
		expect(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT).first())
			.containsText("6桁の数字");
		violations.addAll(Chromium.axe(page, "authenticator enrolment, wrong code (ja)"));
		assertThat(violations).as(() -> String.join("\n", violations)).isEmpty();
	}

	/**
	 * Asks for options twice, signs the first challenge with the authenticator and posts
	 * that answer: the server expects the second one. Returns the error shown.
	 */
	private static String answerToAnEarlierChallenge(Page page) {
		return (String) page.evaluate("""
				async () => {
				  const header = document.querySelector('meta[name="csrf-header"]').content;
				  const token = document.querySelector('meta[name="csrf-token"]').content;
				  const post = (url, body) => fetch(url, { method: 'POST', headers: Object.assign(
				      { [header]: token, 'Content-Type': 'application/json' }), body: body && JSON.stringify(body) });
				  const b64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
				      .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
				  const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')
				      + '='.repeat((4 - text.length % 4) % 4)), (c) => c.charCodeAt(0));
				  const first = await (await post('/realms/secure/login/passkey/options')).json();
				  await post('/realms/secure/login/passkey/options');
				  first.challenge = bytes(first.challenge);
				  const credential = await navigator.credentials.get({ publicKey: first });
				  const answer = await post('/realms/secure/login/passkey', {
				    id: credential.id, rawId: b64(credential.rawId), type: credential.type,
				    response: { authenticatorData: b64(credential.response.authenticatorData),
				      clientDataJSON: b64(credential.response.clientDataJSON),
				      signature: b64(credential.response.signature),
				      userHandle: b64(credential.response.userHandle) },
				    clientExtensionResults: {} });
				  return (await answer.json()).error;
				}""");
	}

	private Page openWithAuthenticator(String locale) {
		this.context = Chromium.newContext(locale);
		return Chromium.pageWithAuthenticator(this.context);
	}

	/** WebAuthn needs a host name: the same server, by {@code localhost}. */
	private String localBase() {
		return "http://localhost:" + this.port;
	}

	private void passwordLogin(Page page, String username, String password) {
		page.navigate(localBase() + "/realms/secure/login");
		page.locator("#username").fill(username);
		page.locator("#password").fill(password);
		page.locator("form.login-form button[type=submit]").click();
	}

	private static void expectLoggedIn(Page page) {
		expect(page).hasURL(Pattern.compile(".*/realms/secure/login$"));
		expect(page.locator(".notice").first()).containsText("mfa-passkey");
	}

	private static void logout(Page page) {
		page.locator("form[action$='/logout'] button").click();
		expect(page).hasURL(Pattern.compile(".*/realms/secure/login\\?logged_out$"));
	}

	private static String code(String base32Secret) {
		byte[] seed = Base32.decode(base32Secret + "=".repeat((8 - base32Secret.length() % 8) % 8));
		try {
			return new TimeBasedOneTimePasswordGenerator().generateOneTimePasswordString(
					new SecretKeySpec(seed, "HmacSHA1"), Instant.now());
		}
		catch (java.security.InvalidKeyException ex) {
			throw new AssertionError(ex);
		}
	}

	private static LocatorAssertions expect(Locator locator) {
		return PlaywrightAssertions.assertThat(locator);
	}

	private static PageAssertions expect(Page page) {
		return PlaywrightAssertions.assertThat(page);
	}

}
