package jp.hitotsu.admin;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ScimApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's data and identity evidence through the admin API, as a realm administrator
 * of realm "provisioned" corrects a citizen's record: merge patches with ETags, every bad
 * field listed, who may not, and the audit trail.
 */
class PersonAdminTests extends ServerTest {

	private static final String REALM = "provisioned";

	private static String adminToken;

	private static String feederToken;

	@Autowired
	private AuditTrail audit;

	private String admin() {
		if (adminToken == null) {
			adminToken = new AdminApi(this).token("person-admin", "person-admin-test-pass-0001");
		}
		return adminToken;
	}

	/** A new account of the realm (created the way its system of record would), by id. */
	private String person() {
		if (feederToken == null) {
			feederToken = new AdminApi(this).token("scim-feeder", "scim-feeder-test-pass-0001");
		}
		String r = UUID.randomUUID().toString().substring(0, 8);
		return new ScimApi(this, REALM, feederToken)
			.create("{\"schemas\": [\"" + ScimApi.USER + "\"], \"userName\": \"person-" + r + "\", \"name\":"
					+ " {\"familyName\": \"山田\", \"givenName\": \"太郎\"}, \"emails\": [{\"value\": \"p" + r
					+ "@person.example\", \"primary\": true}]}")
			.get("id")
			.stringValue();
	}

	private static String path(String id) {
		return "/admin/api/realms/" + REALM + "/users/" + id;
	}

	@Test
	void patchWhenValidFieldsThenChangedWithNewVersionAndAudited() {
		String id = person();
		AdminApi api = new AdminApi(this);
		HttpResponse<String> read = api.get(path(id), admin());
		assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
		JsonNode before = AdminApi.json(read);
		assertThat(before.get("familyName").stringValue()).isEqualTo("山田");
		assertThat(before.get("emailVerified").booleanValue()).isTrue();
		String etag = read.headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> changed = new AdminApi(this).header("If-Match", etag).patchJson(path(id), admin(), """
				{"familyName": "𠮷田", "familyNameKana": "ヨシダ", "givenNameKana": "たろう", "romanisedName": "YOSHIDA Taro",
				 "phoneNumber": "+81 90-1234-5678", "email": "new@person.example"}""");
		assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
		JsonNode after = AdminApi.json(changed);
		assertThat(after.get("familyName").stringValue()).isEqualTo("𠮷田");
		assertThat(after.get("givenName").stringValue()).isEqualTo("太郎");
		assertThat(after.get("familyNameKana").stringValue()).isEqualTo("ヨシダ");
		assertThat(after.get("phoneNumber").stringValue()).isEqualTo("+819012345678");
		assertThat(after.get("email").stringValue()).isEqualTo("new@person.example");
		// a new address is not proven by an administrator typing it
		assertThat(after.get("emailVerified").booleanValue()).isFalse();
		assertThat(after.get("version").asLong()).isEqualTo(before.get("version").asLong() + 1);
		assertThat(changed.headers().firstValue("ETag")).hasValue("W/\"" + after.get("version").asLong() + "\"");

		JsonNode cleared = AdminApi.json(api.patchJson(path(id), admin(),
				"{\"romanisedName\": null, \"emailVerified\": true, \"enabled\": false}"));
		assertThat(cleared.get("romanisedName").isNull()).isTrue();
		assertThat(cleared.get("emailVerified").booleanValue()).isTrue();
		assertThat(cleared.get("enabled").booleanValue()).isFalse();

		JsonNode unchanged = AdminApi.json(api.patchJson(path(id), admin(), "{}"));
		assertThat(unchanged.get("version").asLong()).isEqualTo(cleared.get("version").asLong());

		List<String> fields = new ArrayList<>();
		this.audit.newest(REALM, AuditEventType.ADMIN_CHANGE, id, 5).forEach((event) -> {
			assertThat(event.event().details()).containsEntry("action", "change-person")
				.containsEntry("actorRealm", "staff");
			fields.add(String.valueOf(event.event().details().get("fields")));
		});
		assertThat(fields).containsExactlyInAnyOrder("romanisedName emailVerified enabled",
				"familyName familyNameKana givenNameKana romanisedName email phoneNumber");
		assertThat(this.audit.newest(REALM, AuditEventType.ACCOUNT_DISABLED, id, 5)).hasSize(1);
	}

	@Test
	void patchWhenNoNameChangesThenDisplayNameOfTheSystemOfRecordStays() {
		String id = person();
		ScimApi scim = new ScimApi(this, REALM, feederToken);
		assertThat(scim.send("PATCH", "/Users/" + id, "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
				+ " \"Operations\": [{\"op\": \"replace\", \"path\": \"displayName\", \"value\": \"Yamada-san\"}]}", null)
			.statusCode()).isEqualTo(200);
		new AdminApi(this).patchJson(path(id), admin(), "{\"phoneNumber\": \"+81312345678\"}");
		assertThat(ScimApi.json(scim.get("/Users/" + id)).get("displayName").stringValue()).isEqualTo("Yamada-san");
		new AdminApi(this).patchJson(path(id), admin(), "{\"givenName\": \"花子\"}");
		assertThat(ScimApi.json(scim.get("/Users/" + id)).get("displayName").stringValue()).isEqualTo("山田 花子");
	}

	@Test
	void patchWhenIfMatchIsStaleThen412AndNothingChanged() {
		String id = person();
		HttpResponse<String> stale = new AdminApi(this).header("If-Match", "W/\"999\"")
			.patchJson(path(id), admin(), "{\"givenName\": \"次郎\"}");
		JsonNode problem = AdminApi.assertProblem(stale, 412, "urn:hitotsu:problem:version-mismatch");
		assertThat(problem.get("detail").stringValue()).contains("\"provisioned\"");
		assertThat(AdminApi.json(new AdminApi(this).get(path(id), admin())).get("givenName").stringValue())
			.isEqualTo("太郎");
	}

	@Test
	void patchWhenFieldsAreBadThenEachListedAndNothingChanged() {
		String id = person();
		HttpResponse<String> refused = new AdminApi(this).patchJson(path(id), admin(), """
				{"familyName": "", "familyNameKana": "yamada", "romanisedName": "山田", "phoneNumber": "090-1234",
				 "email": "not-an-address", "enabled": "yes", "givenName": 3, "ial": 3, "nickname": "x"}""");
		JsonNode problem = AdminApi.assertProblem(refused, 400, "urn:hitotsu:problem:invalid-request");
		List<String> fields = new ArrayList<>();
		problem.get("errors").forEach((error) -> {
			fields.add(error.get("field").stringValue());
			assertThat(error.get("message").stringValue()).contains(error.get("field").stringValue());
		});
		// wrong names and types first; the values are checked once every field is readable
		assertThat(fields).containsExactlyInAnyOrder("enabled", "givenName", "ial", "nickname");

		JsonNode values = AdminApi.assertProblem(new AdminApi(this).language("ja").patchJson(path(id), admin(), """
				{"familyName": "", "familyNameKana": "yamada", "romanisedName": "山田", "phoneNumber": "090-1234",
				 "email": "not-an-address", "emailVerified": false}"""), 400, "urn:hitotsu:problem:invalid-request");
		List<String> valueFields = new ArrayList<>();
		values.get("errors").forEach((error) -> valueFields.add(error.get("field").stringValue()));
		assertThat(valueFields).containsExactlyInAnyOrder("familyName", "familyNameKana", "romanisedName",
				"phoneNumber", "email");
		assertThat(values.get("errors").toString()).contains("カタカナ");

		JsonNode person = AdminApi.json(new AdminApi(this).get(path(id), admin()));
		assertThat(person.get("familyName").stringValue()).isEqualTo("山田");
		assertThat(person.get("version").asLong()).isEqualTo(1);

		AdminApi.assertProblem(new AdminApi(this).patchJson(path(id), admin(), "[1]"), 400,
				"urn:hitotsu:problem:invalid-request");
	}

	@Test
	void evidenceWhenRecordedThenLevelRisesNeverFallsAndAudited() {
		String id = person();
		AdminApi api = new AdminApi(this);
		JsonNode initial = AdminApi.json(api.get(path(id) + "/evidence", admin()));
		assertThat(initial.get("ial").asInt()).isEqualTo(1);
		assertThat(initial.get("evidence")).isEmpty();

		HttpResponse<String> recorded = api.postJson(path(id) + "/evidence", admin(), """
				{"evidence": "document", "method": "my_number_card", "provider": "J-LIS",
				 "verifiedAt": "2026-11-01T10:00:00+09:00", "ial": 2}""");
		assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
		assertThat(AdminApi.json(recorded).get("ial").asInt()).isEqualTo(2);

		api.postJson(path(id) + "/evidence", admin(), "{\"evidence\": \"email\", \"method\": \"link\", \"ial\": 1}");
		JsonNode now = AdminApi.json(api.get(path(id) + "/evidence", admin()));
		assertThat(now.get("ial").asInt()).isEqualTo(2);
		assertThat(now.get("evidence")).hasSize(2);
		assertThat(now.get("evidence").get(0).get("method").stringValue()).isEqualTo("my_number_card");
		assertThat(now.get("evidence").get(0).get("provider").stringValue()).isEqualTo("J-LIS");

		assertThat(this.audit.newest(REALM, AuditEventType.IDENTITY_EVIDENCE_RECORDED, id, 5)).hasSize(2);
		assertThat(this.audit.newest(REALM, AuditEventType.ADMIN_CHANGE, id, 5))
			.allSatisfy((event) -> assertThat(event.event().details()).containsEntry("action", "record-evidence"))
			.hasSize(2);
	}

	@Test
	void evidenceWhenFieldsAreBadThenEachListed() {
		String id = person();
		HttpResponse<String> refused = new AdminApi(this).postJson(path(id) + "/evidence", admin(), """
				{"evidence": "", "method": "%s", "verifiedAt": "2999-01-01T00:00:00Z", "ial": 4, "level": 2}"""
			.formatted("m".repeat(65)));
		JsonNode problem = AdminApi.assertProblem(refused, 400, "urn:hitotsu:problem:invalid-request");
		List<String> fields = new ArrayList<>();
		problem.get("errors").forEach((error) -> fields.add(error.get("field").stringValue()));
		assertThat(fields).containsExactlyInAnyOrder("evidence", "method", "verifiedAt", "ial", "level");
		assertThat(AdminApi.json(new AdminApi(this).get(path(id) + "/evidence", admin())).get("evidence")).isEmpty();
	}

	@Test
	void callersWithoutTheRightThenRefused() {
		String id = person();
		String helpdesk = new AdminApi(this).token("scim-helpdesk", "scim-helpdesk-test-pass-0001");
		String auditor = new AdminApi(this).token("person-auditor", "person-auditor-test-pass-0001");
		String otherRealmAdmin = new AdminApi(this).token("bundle-admin", "bundle-admin-test-pass-01");
		AdminApi api = new AdminApi(this);
		for (String token : List.of(helpdesk, auditor, otherRealmAdmin)) {
			AdminApi.assertProblem(api.get(path(id), token), 403, "urn:hitotsu:problem:forbidden");
			AdminApi.assertProblem(api.patchJson(path(id), token, "{\"givenName\": \"x\"}"), 403,
					"urn:hitotsu:problem:forbidden");
			AdminApi.assertProblem(api.postJson(path(id) + "/evidence", token,
					"{\"evidence\": \"document\", \"method\": \"x\", \"ial\": 3}"), 403, "urn:hitotsu:problem:forbidden");
		}
		AdminApi.assertProblem(api.get(path(id), null), 401, "urn:hitotsu:problem:unauthorized");
		AdminApi.assertProblem(api.get(path(UUID.randomUUID().toString()), admin()), 404,
				"urn:hitotsu:problem:unknown-user");
		AdminApi.assertProblem(api.get(path("not-a-uuid") + "/evidence", admin()), 404,
				"urn:hitotsu:problem:unknown-user");
		assertThat(AdminApi.json(api.get(path(id) + "/evidence", admin())).get("ial").asInt()).isEqualTo(1);
	}

}
