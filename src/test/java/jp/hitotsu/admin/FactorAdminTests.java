package jp.hitotsu.admin;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;

import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.AuthenticatorApp;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static jp.hitotsu.support.AdminApi.assertProblem;
import static jp.hitotsu.support.AdminApi.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The help desk's answer to a lost phone over the admin API: it sees the account's second
 * factors, removes the authenticator app, and the owner enrols a new one at the next login
 * instead of being asked for a code they cannot give.
 */
class FactorAdminTests extends ServerTest {

	private static final URI CALLBACK = URI.create("https://secure.example.test/callback");

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	AuditTrail audit;

	@Autowired
	JdbcClient jdbc;

	@Test
	void removeTotpWhenPhoneIsLostThenOwnerEnrolsAgainAtNextLogin() {
		Browserless before = browser();
		before.submitLogin(Browserless.location(before.get(authorization())), "mfa-lost-phone",
				"mfa-lost-phone-test-pass");
		AuthenticatorApp.enrol(before, uri("/realms/secure/login/enroll/totp"));
		assertThat(afterPassword()).as("enrolled: a code is asked").isEqualTo("/realms/secure/login/second-factor");

		String subject = Accounts.subjectOf(this.jdbc, "secure", "mfa-lost-phone");
		String factors = "/admin/api/realms/secure/users/" + subject + "/factors";
		String helpdesk = this.admin.token("factors-helpdesk", "factors-helpdesk-test-pass");
		JsonNode listed = json(this.admin.get(factors, helpdesk));
		assertThat(listed.get("totp").asBoolean()).isTrue();
		assertThat(listed.get("recoveryCodesLeft").asInt()).isEqualTo(10);
		assertThat(listed.get("passkeys")).isEmpty();

		assertThat(this.admin.delete(factors + "/totp", helpdesk).statusCode()).isEqualTo(204);
		JsonNode after = json(this.admin.get(factors, helpdesk));
		assertThat(after.get("totp").asBoolean()).isFalse();
		assertThat(after.get("recoveryCodesLeft").asInt()).as("the codes went with the app").isZero();
		assertThat(this.audit.newest("secure", AuditEventType.FACTOR_REMOVED, subject, 1).get(0).event().details())
			.containsEntry("factor", "totp")
			.containsEntry("actorRealm", "staff");

		assertThat(afterPassword()).as("the next login enrols a new factor")
			.isEqualTo("/realms/secure/login/enroll");
		assertProblem(this.admin.delete(factors + "/totp", helpdesk), 404, "urn:hitotsu:problem:unknown-factor");
	}

	@Test
	void factorsWhenUnknownOrOtherRealmsHelpDeskThenRefusedNamingWhatIsMissing() {
		String helpdesk = this.admin.token("factors-helpdesk", "factors-helpdesk-test-pass");
		String subject = Accounts.subjectOf(this.jdbc, "secure", "mfa-other");
		JsonNode noPasskey = assertProblem(
				this.admin.delete("/admin/api/realms/secure/users/" + subject + "/factors/passkeys/AAAA", helpdesk), 404,
				"urn:hitotsu:problem:unknown-factor");
		assertThat(noPasskey.get("detail").asString()).contains("\"secure\"", subject, "passkey AAAA");
		assertProblem(this.admin.get("/admin/api/realms/secure/users/" + UUID.randomUUID() + "/factors", helpdesk),
				404, "urn:hitotsu:problem:unknown-user");
		String otherRealms = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		assertThat(this.admin.get("/admin/api/realms/secure/users/" + subject + "/factors", otherRealms).statusCode())
			.isEqualTo(403);
	}

	private URI authorization() {
		return client("secure", "secure-app", null).authorization(CALLBACK, "openid").uri();
	}

	/** Where a fresh browser goes once the owner's password is accepted. */
	private String afterPassword() {
		Browserless browser = browser();
		HttpResponse<String> afterPassword = browser.submitLogin(Browserless.location(browser.get(authorization())),
				"mfa-lost-phone", "mfa-lost-phone-test-pass");
		HttpResponse<String> next = browser.get(Browserless.location(afterPassword));
		return (next.statusCode() == 302) ? Browserless.location(next).getPath()
				: Browserless.location(afterPassword).getPath();
	}

}
