package jp.hitotsu.selfservice;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Person;
import jp.hitotsu.audit.AuditChain;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.audit.AuditTrail.RecordedAuditEvent;
import jp.hitotsu.realm.RealmRegistry;
import jp.hitotsu.support.AuditChains;
import jp.hitotsu.support.AuthenticatorApp;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static jp.hitotsu.support.Browserless.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A citizen deletes their account from the account pages: a fresh login (with the second
 * factor when there is one), a confirmation, and then nothing of theirs is left but
 * pseudonymised audit events.
 */
class AccountDeletionTests extends ServerTest {

	private static final URI PORTAL_CALLBACK = URI.create("https://portal.example.test/callback");

	@Autowired
	AccountService accounts;

	@Autowired
	RealmRegistry realms;

	@Autowired
	AuditTrail audit;

	@Autowired
	AuditChain chain;

	@Autowired
	JdbcClient jdbc;

	@Test
	void deleteWhenConfirmedThenLoginRefusedGrantsGoneAuditPseudonymisedAndAddressFree() throws Exception {
		String email = "delete-me@example.test";
		String password = "a passphrase to be forgotten";
		String subject = register(email, password);
		OidcClient portal = client("citizen", "portal", "portal-secret-0123456789");
		OidcClient.Authorization authorization = portal.authorization(PORTAL_CALLBACK, "openid email");
		Browserless browser = browser().language("en");
		OIDCTokenResponse tokens = portal.exchange(browser.authorize(authorization.uri(), email, password), authorization);
		assertThat(browser().submitLogin(uri("/realms/citizen/login"), email, "a wrong guess").statusCode())
			.isEqualTo(401);
		assertThat(this.audit.newest("citizen", null, subject, 50)).isNotEmpty();

		HttpResponse<String> security = browser.get(uri("/realms/citizen/account/security"));
		assertThat(Jsoup.parse(security.body()).select("main a[href=/realms/citizen/account/delete]").text())
			.isEqualTo("Delete my account");
		HttpResponse<String> page = browser.get(uri("/realms/citizen/account/delete"));
		assertThat(page.statusCode()).as("a login a moment old confirms it").isEqualTo(200);
		HttpResponse<String> unconfirmed = browser.submit(page, "form.delete-form", Map.of());
		assertThat(unconfirmed.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(unconfirmed.body()).select("#confirm-error").text()).isEqualTo("Tick the box to confirm.");
		assertThat(this.accounts.find("citizen", subject)).isPresent();

		// sealed first: the deletion then erases links of the chain, which must still hold
		AuditChains.awaitSealed(this.chain, this.audit, "citizen");
		long erasedBefore = this.chain.verify("citizen", null).personalDataErased();
		HttpResponse<String> deleted = browser.submit(page, "form.delete-form", Map.of("confirm", "yes"));
		assertThat(deleted.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(deleted.body()).select("h1").text()).isEqualTo("Your account has been deleted");

		assertThat(this.accounts.find("citizen", subject)).isEmpty();
		assertThat(this.audit.newest("citizen", null, subject, 50)).as("nothing left under the subject").isEmpty();
		RecordedAuditEvent deletion = this.audit.newest("citizen", AuditEventType.ACCOUNT_DELETED, null, 50)
			.stream()
			.filter((event) -> !event.occurredAt().isBefore(Instant.now().minusSeconds(60)))
			.findFirst()
			.orElseThrow();
		String pseudonym = deletion.event().subject();
		assertThat(pseudonym).startsWith("pseudonym:").doesNotContain(subject);
		List<RecordedAuditEvent> kept = this.audit.newest("citizen", null, pseudonym, 50);
		assertThat(kept).extracting((event) -> event.event().type())
			.contains(AuditEventType.ACCOUNT_CREATED, AuditEventType.LOGIN, AuditEventType.LOGIN_FAILED,
					AuditEventType.ACCOUNT_DELETED);
		AuditChain.Verification chain = this.chain.verify("citizen", null);
		assertThat(chain.intact()).as(chain::toString).isTrue();
		// all but the deletion's own event, less any the deletion's request wrote before it
		assertThat(chain.personalDataErased() - erasedBefore).as("the deleted citizen's sealed events, erased")
			.isBetween(1L, (long) kept.size() - 1);
		assertThat(kept).allSatisfy((event) -> {
			assertThat(event.event().username()).isNull();
			assertThat(event.event().ipAddress()).isNull();
			assertThat(event.event().sessionId()).isNull();
		});
		assertThat(this.jdbc.sql("select count(*) from audit_event where username = :email or details::text like :like")
			.param("email", email)
			.param("like", "%" + email + "%")
			.query(Integer.class)
			.single()).isZero();

		// checked after the audit trail: a login typed with the old address is a new event
		assertThat(browser().submitLogin(uri("/realms/citizen/login"), email, password).statusCode()).isEqualTo(401);
		TokenResponse refreshed = portal.refresh(tokens.getOIDCTokens().getRefreshToken());
		assertThat(refreshed.indicatesSuccess()).isFalse();
		assertThat(browser.get(uri("/realms/citizen/account/security")).statusCode()).as("logged out").isEqualTo(302);

		assertThat(this.accounts.register(this.realms.get("citizen"), email, person(), password, "127.0.0.1").created())
			.as("the address may be registered again")
			.isTrue();
	}

	@Test
	void deleteWhenSecondFactorEnrolledThenPasswordAndCodeAskedAgain() {
		String email = "delete-mfa@example.test";
		String password = "a passphrase with a second factor";
		String subject = register(email, password);
		Browserless browser = browser().language("en");
		assertThat(browser.submitLogin(uri("/realms/citizen/login"), email, password).statusCode()).isEqualTo(302);
		byte[] seed = AuthenticatorApp.enrol(browser, uri("/realms/citizen/account/security/totp")).seed();

		HttpResponse<String> toLogin = browser.get(uri("/realms/citizen/account/delete"));
		assertThat(toLogin.statusCode()).isEqualTo(302);
		assertThat(location(toLogin).getPath()).isEqualTo("/realms/citizen/login");
		HttpResponse<String> afterPassword = browser.submitLogin(location(toLogin), email, password);
		assertThat(location(afterPassword).getPath()).isEqualTo("/realms/citizen/login/second-factor");
		HttpResponse<String> factorPage = browser.get(location(afterPassword));
		HttpResponse<String> afterCode = browser.submit(factorPage, "form[action$=/second-factor/totp]",
				Map.of("code", AuthenticatorApp.code(seed, Instant.now().plusSeconds(30))));
		assertThat(location(afterCode).getPath()).isEqualTo("/realms/citizen/account/delete");
		HttpResponse<String> page = browser.get(location(afterCode));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(browser.submit(page, "form.delete-form", Map.of("confirm", "yes")).statusCode()).isEqualTo(200);
		assertThat(this.jdbc.sql("select count(*) from totp_authenticator where account_id = cast(:id as uuid)")
			.param("id", subject)
			.query(Integer.class)
			.single()).isZero();
		assertThat(browser().submitLogin(uri("/realms/citizen/login"), email, password).statusCode()).isEqualTo(401);
	}

	@Test
	void deleteWhenRealmHasNoSignUpThenNotOffered() {
		Browserless browser = browser().language("en");
		assertThat(browser.get(uri("/realms/staff/account/delete")).statusCode()).isEqualTo(404);
	}

	private String register(String email, String password) {
		return this.accounts.register(this.realms.get("citizen"), email, person(), password, "127.0.0.1")
			.account()
			.subject();
	}

	private static Person person() {
		return new Person("削除", "太郎", "サクジョ", "タロウ", null, null);
	}

}
