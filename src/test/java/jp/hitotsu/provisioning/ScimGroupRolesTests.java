package jp.hitotsu.provisioning;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.DirectoryAdmin;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ScimApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups fed through SCIM mean something: a directory role rule naming a group puts the
 * role into the client's tokens of its members, and taking a member out takes the role
 * away at the next token. Also the admin API's view of groups, and a PATCH of one member of a
 * group of 20,000.
 */
class ScimGroupRolesTests extends ServerTest {

	private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

	private static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

	private static final URI APP_CALLBACK = URI.create("https://directory.example.test/callback");

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private JdbcClient jdbc;

	@Test
	void roleRuleWhenItNamesAGroupThenMembersHaveTheRoleUntilRemovedFromTheGroup() throws Exception {
		String hr = this.admin.token("groups-hr", "groups-hr-test-pass-0001");
		ScimApi scim = new ScimApi(this, "staff", hr);
		String member = Accounts.subjectOf(this.jdbc, "staff", "groups-member");
		HttpResponse<String> created = scim.send("POST", "/Groups", """
				{"schemas": ["%s"], "displayName": "経理担当", "externalId": "hr-ledger",
				 "members": [{"value": "%s"}]}""".formatted(GROUP, member), null);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String group = ScimApi.json(created).get("id").stringValue();
		new DirectoryAdmin(this.admin, hr).rule("directory-app", "ledger-approver", "\"group\": \"" + group + "\"");

		OidcClient app = client("staff", "directory-app", "directory-app-secret-0123456789");
		OidcClient.Authorization authorization = app.authorization(APP_CALLBACK, "openid organization");
		OIDCTokenResponse tokens = app.exchange(
				new Browserless().authorize(authorization.uri(), "groups-member", "groups-member-test-pass-0001"),
				authorization);
		JWTClaimsSet before = app.verifyAccessToken(tokens.getOIDCTokens().getAccessToken().getValue());
		assertThat(before.getStringListClaim("roles")).containsExactly("ledger-approver");

		// the admin API: the rule names the group; the group and its members are listed
		JsonNode rules = json(this.admin.get("/admin/api/realms/staff/directory/role-rules?client=directory-app", hr));
		assertThat(rules.get("items").toString()).contains(group);
		JsonNode groups = json(this.admin.get("/admin/api/realms/staff/directory/groups", hr));
		assertThat(groups.get("items").toString()).contains("経理担当");
		JsonNode members = json(this.admin.get("/admin/api/realms/staff/directory/groups/" + group + "/members", hr));
		assertThat(members.get("items").get(0).get("username").stringValue()).isEqualTo("groups-member");
		assertThat(this.admin.get("/admin/api/realms/staff/directory/groups/" + UUID.randomUUID() + "/members", hr)
			.statusCode()).isEqualTo(404);
		HttpResponse<String> badRule = this.admin.postJson("/admin/api/realms/staff/directory/role-rules", hr,
				"{\"client\": \"directory-app\", \"role\": \"ledger-viewer\", \"group\": \"" + UUID.randomUUID()
						+ "\", \"post\": \"課長\"}");
		assertThat(badRule.statusCode()).isEqualTo(400);
		assertThat(badRule.body()).contains("group");

		HttpResponse<String> removed = scim.send("PATCH", "/Groups/" + group, """
				{"schemas": ["%s"], "Operations": [{"op": "remove", "path": "members[value eq \\"%s\\"]"}]}"""
			.formatted(PATCH, member), null);
		assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
		TokenResponse refreshed = app.refresh(tokens.getOIDCTokens().getRefreshToken());
		assertThat(refreshed.indicatesSuccess()).isTrue();
		JWTClaimsSet after = app
			.verifyAccessToken(refreshed.toSuccessResponse().getTokens().getAccessToken().getValue());
		assertThat(after.getStringListClaim("roles")).isNullOrEmpty();
	}

	/**
	 * A group of 20,000 (accounts loaded as {@code import-accounts} would, members given in
	 * one SCIM POST): adding one member answers as fast as in a small group, because neither
	 * the PATCH nor its answer reads the members.
	 */
	@Test
	void patchWhenGroupHasTwentyThousandMembersThenAddingOneDoesNotReadThem() {
		String r = UUID.randomUUID().toString().substring(0, 8);
		this.jdbc.sql("""
				insert into account (id, realm, username, display_name)
				select gen_random_uuid(), 'provisioned', 'big-' || :r || '-' || i, 'Big ' || i
				from generate_series(1, 20001) as i
				""").param("r", r).update();
		List<String> ids = new ArrayList<>(this.jdbc
			.sql("select cast(id as text) from account where realm = 'provisioned' and username like :prefix")
			.param("prefix", "big-" + r + "-%")
			.query(String.class)
			.list());
		Collections.sort(ids);
		String extra = ids.remove(ids.size() - 1);
		StringBuilder body = new StringBuilder("{\"schemas\": [\"" + GROUP + "\"], \"displayName\": \"Big " + r
				+ "\", \"members\": [");
		for (int i = 0; i < ids.size(); i++) {
			body.append((i > 0) ? "," : "").append("{\"value\": \"").append(ids.get(i)).append("\"}");
		}
		ScimApi scim = new ScimApi(this, "provisioned", this.admin.token("scim-feeder", "scim-feeder-test-pass-0001"));
		long createStart = System.nanoTime();
		HttpResponse<String> created = scim.send("POST", "/Groups?attributes=displayName", body.append("]}").toString(),
				null);
		long createMillis = (System.nanoTime() - createStart) / 1_000_000;
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String group = ScimApi.json(created).get("id").stringValue();

		long[] patches = new long[5];
		for (int i = 0; i < patches.length; i++) {
			String op = (i % 2 == 0) ? "add" : "remove";
			String path = op.equals("add") ? "members" : "members[value eq \\\"" + extra + "\\\"]";
			String value = op.equals("add") ? ", \"value\": [{\"value\": \"" + extra + "\"}]" : "";
			long start = System.nanoTime();
			HttpResponse<String> patched = scim.send("PATCH", "/Groups/" + group, "{\"schemas\": [\"" + PATCH
					+ "\"], \"Operations\": [{\"op\": \"" + op + "\", \"path\": \"" + path + "\"" + value + "}]}", null);
			patches[i] = (System.nanoTime() - start) / 1_000_000;
			assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
			assertThat(patched.body()).isEmpty();
		}
		long getStart = System.nanoTime();
		JsonNode whole = ScimApi.json(scim.get("/Groups/" + group));
		long getMillis = (System.nanoTime() - getStart) / 1_000_000;
		assertThat(whole.get("members")).hasSize(20_001);
		assertThat(ScimApi.json(scim.get("/Users/" + extra)).get("groups").get(0).get("value").stringValue())
			.isEqualTo(group);
		long[] sorted = patches.clone();
		java.util.Arrays.sort(sorted);
		System.out.printf("20,000-member group: POST %d ms; PATCH one member %s ms (median %d); GET whole %d ms%n",
				createMillis, java.util.Arrays.toString(patches), sorted[2], getMillis);
		// reading the 20,000 members takes the GET far longer: a PATCH that read them would too
		assertThat(sorted[2]).isLessThan(Math.max(getMillis / 2, 50));
	}

	private static JsonNode json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return ScimApi.json(response);
	}

}
