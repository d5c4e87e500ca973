package jp.hitotsu.admin;

import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static jp.hitotsu.support.AdminApi.assertProblem;
import static jp.hitotsu.support.AdminApi.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the admin API tells an administrator about realms: only the realms their roles
 * reach, what those roles allow in each, and a realm's settings (no secrets: clients and
 * keys have their own endpoints).
 */
class RealmAdminApiTests extends ServerTest {

	private final AdminApi admin = new AdminApi(this);

	@Test
	void realmsWhenListedThenOnlyThoseTheRolesReachWithWhatTheyAllow() {
		JsonNode all = json(this.admin.get("/admin/api/realms", this.admin.token("lockout-super", "lockout-super-test-pass")));
		assertThat(all.findValuesAsString("name")).contains("staff", "citizen", "guarded");
		JsonNode staff = find(all, "staff");
		assertThat(staff.get("zone").asString()).isEqualTo("internet");
		assertThat(staff.get("displayName").get("ja").asString()).isEqualTo("職員");
		assertThat(staff.get("permissions").valueStream().map(JsonNode::asString))
			.contains("MANAGE_CLIENTS", "READ_AUDIT", "READ_REALM");

		JsonNode helpdesk = json(
				this.admin.get("/admin/api/realms", this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass")));
		assertThat(helpdesk.findValuesAsString("name")).containsExactly("guarded");
		assertThat(helpdesk.get(0).get("permissions").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder(
				"VIEW_LOCK", "CLEAR_LOCK", "RESET_PASSWORD", "SEARCH_USERS", "MANAGE_SESSIONS", "MANAGE_FACTORS",
				"READ_REALM");

		JsonNode auditor = json(
				this.admin.get("/admin/api/realms", this.admin.token("lockout-auditor", "lockout-auditor-test-pass")));
		assertThat(auditor.findValuesAsString("name")).containsExactly("guarded");
		assertThat(auditor.get(0).get("permissions").valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrder("READ_AUDIT", "READ_REALM");
	}

	@Test
	void realmWhenReadThenItsSettingsAndRefusedOutsideTheRoles() {
		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		JsonNode guarded = json(this.admin.get("/admin/api/realms/guarded", helpdesk));
		assertThat(guarded.get("realm").get("name").asString()).isEqualTo("guarded");
		assertThat(guarded.get("settings").get("tokens").get("signingAlgorithm").asString()).isIn("RS256", "ES256");
		assertThat(guarded.get("settings").has("bruteForce")).isTrue();

		assertProblem(this.admin.get("/admin/api/realms/staff", helpdesk), 403, "urn:hitotsu:problem:forbidden");
		assertProblem(this.admin.get("/admin/api/realms/nowhere", this.admin.token("lockout-super", "lockout-super-test-pass")),
				404, "urn:hitotsu:problem:unknown-realm");
		assertThat(this.admin.get("/admin/api/realms", null).statusCode()).isEqualTo(401);
	}

	private static JsonNode find(JsonNode realms, String name) {
		return realms.valueStream()
			.filter((realm) -> name.equals(realm.get("name").asString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("realm " + name + " not listed"));
	}

}
