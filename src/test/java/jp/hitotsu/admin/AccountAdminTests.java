package jp.hitotsu.admin;

import java.net.http.HttpResponse;

import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static jp.hitotsu.support.AdminApi.assertProblem;
import static jp.hitotsu.support.AdminApi.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts created and deleted through the admin API over HTTP: by a realm administrator
 * only, with SCIM's rules (a unique username, checked fields), audited with who did it, and
 * a delete conditional on the version read.
 */
class AccountAdminTests extends ServerTest {

	private static final String USERS = "/admin/api/realms/guarded/users";

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	AuditTrail audit;

	@Test
	void createThenDeleteWhenRealmAdminThenAuditedAndGone() {
		String realmAdmin = this.admin.token("lockout-realm-admin", "lockout-realm-admin-test-pass");
		HttpResponse<String> created = this.admin.postJson(USERS, realmAdmin, """
				{"username": "Admin-Made", "email": "admin-made@example.test", "familyName": "山本", "givenName": "一"}
				""");
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		JsonNode person = json(created);
		String id = person.get("id").asString();
		assertThat(created.headers().firstValue("Location")).hasValue(uri(USERS + "/" + id).getPath());
		assertThat(person.get("username").asString()).isEqualTo("admin-made");
		assertThat(json(this.admin.get(USERS + "/" + id, realmAdmin)).get("familyName").asString()).isEqualTo("山本");
		assertThat(this.audit.newest("guarded", AuditEventType.ACCOUNT_CREATED, id, 1).get(0).event().details())
			.containsEntry("via", "admin-api");

		// a delete against a version read before a change is refused
		String etag = created.headers().firstValue("ETag").orElseThrow();
		assertThat(this.admin.patchJson(USERS + "/" + id, realmAdmin, "{\"givenName\": \"一郎\"}").statusCode())
			.isEqualTo(200);
		assertProblem(new AdminApi(this).header("If-Match", etag).delete(USERS + "/" + id, realmAdmin), 412,
				"urn:hitotsu:problem:version-mismatch");
		assertThat(this.admin.delete(USERS + "/" + id, realmAdmin).statusCode()).isEqualTo(204);
		assertProblem(this.admin.get(USERS + "/" + id, realmAdmin), 404, "urn:hitotsu:problem:unknown-user");
		assertThat(this.audit.newest("guarded", AuditEventType.ACCOUNT_DELETED, id, 1).get(0).event().details())
			.containsEntry("via", "admin-api");
	}

	@Test
	void createWhenFieldsAreBadOrUsernameTakenThenEachIsNamed() {
		String realmAdmin = this.admin.token("lockout-realm-admin", "lockout-realm-admin-test-pass");
		JsonNode bad = assertProblem(this.admin.postJson(USERS, realmAdmin, """
				{"username": " ", "email": "no-at-sign", "familyName": "%s"}
				""".formatted("長".repeat(256))), 400, "urn:hitotsu:problem:invalid-request");
		assertThat(bad.toString()).contains("\"username\"", "\"email\"", "\"familyName\"");
		assertThat(bad.get("detail").asString()).as("worded, not a message key")
			.isIn("Some parameters are not valid; \"errors\" lists them.", "正しくないパラメーターがあります。「errors」に一覧があります。");

		this.admin.postJson(USERS, realmAdmin, "{\"username\": \"admin-made-twice\"}");
		JsonNode taken = assertProblem(this.admin.postJson(USERS, realmAdmin, "{\"username\": \"Admin-Made-Twice\"}"),
				409, "urn:hitotsu:problem:username-taken");
		assertThat(taken.get("detail").asString()).contains("\"guarded\"", "\"Admin-Made-Twice\"");
	}

	@Test
	void createOrDeleteWhenHelpDeskThenForbidden() {
		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		assertProblem(this.admin.postJson(USERS, helpdesk, "{\"username\": \"helpdesk-made\"}"), 403,
				"urn:hitotsu:problem:forbidden");
		assertProblem(this.admin.delete(USERS + "/00000000-0000-0000-0000-000000000000", helpdesk), 403,
				"urn:hitotsu:problem:forbidden");
	}

}
