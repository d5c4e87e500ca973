package jp.hitotsu.admin;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ScimApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's user search over HTTP: username, e-mail, employee number and name
 * prefixes, keyset pages, RFC 9457 problems.
 */
class UserSearchTests extends ServerTest {

	private final AdminApi admin = new AdminApi(this);

	private static List<String> usernames(JsonNode page) {
		List<String> names = new ArrayList<>();
		page.get("users").forEach((user) -> names.add(user.get("username").stringValue()));
		return names;
	}

	@Test
	void searchWhenPrefixOfAnyKeyThenMatchesInUsernameOrderPageByPage() {
		String r = UUID.randomUUID().toString().substring(0, 8);
		ScimApi scim = new ScimApi(this, "provisioned", this.admin.token("scim-feeder", "scim-feeder-test-pass-0001"));
		for (String[] person : List.of(new String[] { "s-" + r + "-1", "宮" + r + "本", "武蔵", "K" + r + "01" },
				new String[] { "s-" + r + "-2", "宮" + r + "沢", "賢治", "K" + r + "02" },
				new String[] { "s-" + r + "-3", "宮" + r + "部", "みゆき", "L" + r + "03" })) {
			scim.create("{\"userName\": \"" + person[0] + "\", \"name\": {\"familyName\": \"" + person[1]
					+ "\", \"givenName\": \"" + person[2] + "\"}, \"emails\": [{\"value\": \"" + person[0]
					+ "@Mail.example\", \"primary\": true}], \"" + ScimApi.ENTERPRISE + "\": {\"employeeNumber\": \""
					+ person[3] + "\"}}");
		}
		String token = this.admin.token("scim-helpdesk", "scim-helpdesk-test-pass-0001");
		assertThat(usernames(search("q=" + encode("宮" + r), token))).containsExactly("s-" + r + "-1", "s-" + r + "-2",
				"s-" + r + "-3");
		assertThat(usernames(search("q=" + encode("K" + r), token))).containsExactly("s-" + r + "-1", "s-" + r + "-2");
		assertThat(usernames(search("q=" + encode("S-" + r + "-3@MAIL"), token))).containsExactly("s-" + r + "-3");
		JsonNode first = search("q=" + encode("s-" + r) + "&limit=2", token);
		assertThat(usernames(first)).containsExactly("s-" + r + "-1", "s-" + r + "-2");
		JsonNode second = search("q=" + encode("s-" + r) + "&limit=2&after=" + encode(first.get("next").stringValue()),
				token);
		assertThat(usernames(second)).containsExactly("s-" + r + "-3");
		assertThat(second.hasNonNull("next")).isFalse();
		JsonNode one = search("q=" + encode("L" + r + "03"), token).get("users").get(0);
		assertThat(one.get("employeeNumber").stringValue()).isEqualTo("L" + r + "03");
		assertThat(one.get("email").stringValue()).isEqualTo("s-" + r + "-3@Mail.example");
	}

	@Test
	void searchWhenBadParametersOrRoleThenProblems() {
		String token = this.admin.token("scim-helpdesk", "scim-helpdesk-test-pass-0001");
		HttpResponse<String> bad = this.admin.get("/admin/api/realms/provisioned/users?q=a&limit=0", token);
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(AdminApi.json(bad).get("errors").get(0).get("field").stringValue()).isEqualTo("limit");
		assertThat(this.admin.get("/admin/api/realms/provisioned/users", token).statusCode()).isEqualTo(400);
		String hr = this.admin.token("dir-hr", "dir-hr-test-pass-0001");
		assertThat(this.admin.get("/admin/api/realms/provisioned/users?q=a", hr).statusCode()).isEqualTo(403);
		assertThat(this.admin.get("/admin/api/realms/provisioned/users?q=a", null).statusCode()).isEqualTo(401);
	}

	@Test
	void summaryWhenHelpDeskThenWhoTheAccountIsWithItsVersion() {
		String r = UUID.randomUUID().toString().substring(0, 8);
		ScimApi scim = new ScimApi(this, "provisioned", this.admin.token("scim-feeder", "scim-feeder-test-pass-0001"));
		scim.create("{\"userName\": \"sum-" + r + "\", \"displayName\": \"要約 " + r + "\"}");
		String token = this.admin.token("scim-helpdesk", "scim-helpdesk-test-pass-0001");
		JsonNode found = search("q=sum-" + r, token).get("users").get(0);
		String id = found.get("id").stringValue();

		HttpResponse<String> summary = this.admin.get("/admin/api/realms/provisioned/users/" + id + "/summary", token);
		assertThat(summary.statusCode()).as(summary::body).isEqualTo(200);
		JsonNode user = AdminApi.json(summary);
		assertThat(user.get("username").stringValue()).isEqualTo("sum-" + r);
		assertThat(user.get("displayName").stringValue()).isEqualTo("要約 " + r);
		assertThat(user.get("enabled").booleanValue()).isTrue();
		assertThat(summary.headers().firstValue("ETag")).hasValue("W/\"" + user.get("version").asLong() + "\"");
		assertThat(user.get("version").asLong()).isEqualTo(found.get("version").asLong());
		// the help desk may not read the person's data itself
		AdminApi.assertProblem(this.admin.get("/admin/api/realms/provisioned/users/" + id, token), 403,
				"urn:hitotsu:problem:forbidden");

		AdminApi.assertProblem(this.admin.get("/admin/api/realms/provisioned/users/" + UUID.randomUUID() + "/summary",
				token), 404, "urn:hitotsu:problem:unknown-user");
		AdminApi.assertProblem(this.admin.get("/admin/api/realms/provisioned/users/not-an-id/summary", token), 404,
				"urn:hitotsu:problem:unknown-user");
		String auditor = this.admin.token("person-auditor", "person-auditor-test-pass-0001");
		AdminApi.assertProblem(this.admin.get("/admin/api/realms/provisioned/users/" + id + "/summary", auditor), 403,
				"urn:hitotsu:problem:forbidden");
	}

	private JsonNode search(String query, String token) {
		HttpResponse<String> response = this.admin.get("/admin/api/realms/provisioned/users?" + query, token);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return AdminApi.json(response);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
