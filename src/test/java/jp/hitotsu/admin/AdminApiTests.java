package jp.hitotsu.admin;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;

import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static jp.hitotsu.support.AdminApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who gets into the admin API and what they are told when they do not: tokens of the
 * admin realm's admin client only, roles per realm, RFC 9457 problems for every refusal.
 */
class AdminApiTests extends ServerTest {

	private static final String AUDIT = "/admin/api/realms/guarded/audit-events";

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private AuditTrail audit;

	@Test
	void callWhenNoTokenThen401Problem() {
		HttpResponse<String> response = this.admin.get(AUDIT, null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		assertThat(assertProblem(response, 401, "urn:hitotsu:problem:unauthorized").get("detail").asString())
			.contains("\"staff\"");
	}

	@Test
	void callWhenTokenIsGarbageThen401Problem() {
		HttpResponse<String> response = this.admin.get(AUDIT, "not-a-token");
		assertProblem(response, 401, "urn:hitotsu:problem:invalid-token");
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(value) -> assertThat(value).startsWith("Bearer error=\"invalid_token\""));
	}

	@Test
	void callWhenTokenOfAnotherRealmThenRefusedWhateverItsRoles() {
		// a super-admin of the citizen realm, through a client named like the admin client
		String citizenToken = this.admin.login("citizen", "lockout-impostor", "lockout-impostor-test-pass")
			.getOIDCTokens()
			.getAccessToken()
			.getValue();
		assertProblem(this.admin.get(AUDIT, citizenToken), 401, "urn:hitotsu:problem:invalid-token");
	}

	@Test
	void callWhenIdTokenInsteadOfAccessTokenThenRefused() {
		OIDCTokenResponse tokens = this.admin.login("staff", "lockout-super", "lockout-super-test-pass");
		String idToken = tokens.getOIDCTokens().getIDTokenString();
		assertProblem(this.admin.get(AUDIT, idToken), 401, "urn:hitotsu:problem:invalid-token");
		assertThat(this.admin.get(AUDIT, tokens.getOIDCTokens().getAccessToken().getValue()).statusCode())
			.as("the access token of the same login").isEqualTo(200);
	}

	@Test
	void callWhenAccessTokenOfAnotherClientOfTheAdminRealmThenRefused() {
		var demo = client("staff", "hitotsu-demo", null);
		var authorization = demo.authorization(java.net.URI.create("http://127.0.0.1/demo/staff/callback"), "openid");
		String token = demo
			.exchange(browser().authorize(authorization.uri(), "lockout-super", "lockout-super-test-pass"), authorization)
			.getOIDCTokens()
			.getAccessToken()
			.getValue();
		assertProblem(this.admin.get(AUDIT, token), 401, "urn:hitotsu:problem:invalid-token");
	}

	@Test
	void auditWhenHelpdeskThen403AndWhenAuditorOfTheRealmThenEvents() {
		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		assertThat(assertProblem(this.admin.get(AUDIT, helpdesk), 403, "urn:hitotsu:problem:forbidden").get("detail")
			.asString()).contains("\"guarded\"");

		String auditor = this.admin.token("lockout-auditor", "lockout-auditor-test-pass");
		HttpResponse<String> events = this.admin.get(AUDIT + "?limit=5", auditor);
		assertThat(events.statusCode()).isEqualTo(200);
		assertThat(AdminApi.json(events).get("events").isArray()).isTrue();
		assertProblem(this.admin.get("/admin/api/realms/citizen/audit-events", auditor), 403,
				"urn:hitotsu:problem:forbidden");
	}

	@Test
	void auditEventWhenAuditorThenEveryFieldAndWhenUnknownOrOfAnotherRealmThen404() {
		String username = "event-probe-" + UUID.randomUUID();
		this.audit.record(AuditEvent.of("guarded", AuditEventType.LOGIN_FAILED)
			.failure()
			.username(username)
			.ipAddress("192.0.2.7")
			.detail("reason", "bad-password")
			.build());
		String auditor = this.admin.token("lockout-auditor", "lockout-auditor-test-pass");
		JsonNode listed = null;
		for (JsonNode event : AdminApi.json(this.admin.get(AUDIT + "?type=LOGIN_FAILED&limit=20", auditor))
			.get("events")) {
			listed = username.equals(event.get("username").asString()) ? event : listed;
		}
		assertThat(listed).as("the event just recorded").isNotNull();

		HttpResponse<String> one = this.admin.get(AUDIT + "/" + listed.get("id").asLong(), auditor);
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(AdminApi.json(one)).isEqualTo(listed);
		assertThat(AdminApi.json(one).get("details").get("reason").asString()).isEqualTo("bad-password");

		assertThat(assertProblem(this.admin.get(AUDIT + "/999999999", auditor), 404,
				"urn:hitotsu:problem:unknown-audit-event").get("detail").asString()).contains("\"guarded\"", "999999999");
		long staffEvent = this.audit.newest("staff", null, null, 1).get(0).id();
		String superAdmin = this.admin.token("lockout-super", "lockout-super-test-pass");
		assertProblem(this.admin.get("/admin/api/realms/guarded/audit-events/" + staffEvent, superAdmin), 404,
				"urn:hitotsu:problem:unknown-audit-event");
		assertProblem(this.admin.get("/admin/api/realms/citizen/audit-events/" + staffEvent, auditor), 403,
				"urn:hitotsu:problem:forbidden");
	}

	@Test
	void lockWhenAuditorThen403AndNothingCleared() {
		String auditor = this.admin.token("lockout-auditor", "lockout-auditor-test-pass");
		String anyone = "00000000-0000-0000-0000-000000000000";
		assertProblem(this.admin.delete("/admin/api/realms/guarded/users/" + anyone + "/lock", auditor), 403,
				"urn:hitotsu:problem:forbidden");
		assertProblem(this.admin.get("/admin/api/realms/guarded/users/" + anyone + "/lock", auditor), 403,
				"urn:hitotsu:problem:forbidden");
	}

	@Test
	void lockWhenHelpdeskOfOneRealmAsksAboutAnotherThen403() {
		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		assertProblem(this.admin.get("/admin/api/realms/citizen/users/00000000-0000-0000-0000-000000000000/lock",
				helpdesk), 403, "urn:hitotsu:problem:forbidden");
	}

	@Test
	void lockWhenUnknownRealmOrUserThen404NamingIt() {
		String superAdmin = this.admin.token("lockout-super", "lockout-super-test-pass");
		assertThat(assertProblem(this.admin.get("/admin/api/realms/no-such-realm/users/x/lock", superAdmin), 404,
				"urn:hitotsu:problem:unknown-realm").get("detail").asString()).contains("no-such-realm");
		assertThat(assertProblem(this.admin.delete("/admin/api/realms/guarded/users/no-such-user/lock", superAdmin), 404,
				"urn:hitotsu:problem:unknown-user").get("detail").asString()).contains("no-such-user")
				.contains("guarded");
		String realmAdmin = this.admin.token("lockout-realm-admin", "lockout-realm-admin-test-pass");
		assertProblem(this.admin.get("/admin/api/realms/guarded/users/00000000-0000-0000-0000-000000000000/lock",
				realmAdmin), 404, "urn:hitotsu:problem:unknown-user");
	}

	@Test
	void auditWhenParametersInvalidThen400ListingEachField() {
		String auditor = this.admin.token("lockout-auditor", "lockout-auditor-test-pass");
		JsonNode badType = assertProblem(this.admin.get(AUDIT + "?type=LOGGED_IN", auditor), 400,
				"urn:hitotsu:problem:invalid-request");
		assertThat(badType.get("errors").get(0).get("field").asString()).isEqualTo("type");
		assertThat(badType.get("errors").get(0).get("message").asString()).contains("LOGGED_IN").contains("LOGIN_FAILED");

		JsonNode badValues = assertProblem(this.admin.get(AUDIT + "?limit=0&subject=" + "x".repeat(65), auditor), 400,
				"urn:hitotsu:problem:invalid-request");
		assertThat(badValues.get("errors")).extracting((error) -> error.get("field").asString())
			.containsExactlyInAnyOrder("limit", "subject");
	}

	@Test
	void problemWhenJapaneseAskedForThenJapanese() {
		HttpResponse<String> response = this.admin.language("ja").get(AUDIT, null);
		JsonNode problem = assertProblem(response, 401, "urn:hitotsu:problem:unauthorized");
		assertThat(problem.get("detail").asString()).contains("アクセストークン");
	}

	@Test
	void temporaryPasswordFromTheHelpdeskWorksForOneLoginThatAsksForANewPassword() {
		String subject = Accounts.subjectOf(this.jdbc, "guarded", "temporary-by-helpdesk");
		String path = "/admin/api/realms/guarded/users/" + subject + "/temporary-password";
		String auditor = this.admin.token("lockout-auditor", "lockout-auditor-test-pass");
		assertProblem(this.admin.post(path, auditor), 403, "urn:hitotsu:problem:forbidden");

		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		HttpResponse<String> created = this.admin.post(path, helpdesk);
		assertThat(created.statusCode()).isEqualTo(201);
		String temporary = AdminApi.json(created).get("temporaryPassword").asString();
		assertThat(temporary).hasSizeGreaterThanOrEqualTo(20);

		Browserless browser = browser();
		URI loginPage = uri("/realms/guarded/login");
		assertThat(browser.submitLogin(loginPage, "temporary-by-helpdesk", "temporary-by-helpdesk-test-pass")
			.statusCode()).isEqualTo(401);
		HttpResponse<String> loggedIn = browser.submitLogin(loginPage, "temporary-by-helpdesk", temporary);
		assertThat(Browserless.location(loggedIn).getPath()).isEqualTo("/realms/guarded/login/new-password");
		assertThat(this.audit.newest("guarded", AuditEventType.ADMIN_CHANGE, subject, 1).get(0).event().details())
			.containsEntry("action", "temporary-password");
		assertProblem(this.admin.post("/admin/api/realms/guarded/users/" + java.util.UUID.randomUUID()
				+ "/temporary-password", helpdesk), 404, "urn:hitotsu:problem:unknown-user");
	}

}
