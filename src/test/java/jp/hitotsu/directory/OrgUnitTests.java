package jp.hitotsu.directory;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.DirectoryAdmin;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static jp.hitotsu.directory.DirectoryClaimsTests.claims;
import static jp.hitotsu.directory.DirectoryClaimsTests.login;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Organisation units changed by effective-dated operations through the admin API, and
 * what lists and relying parties see of them: renames by time, merges that move people,
 * closes refused while occupied, deletes of unused units, pages of the directory's lists.
 */
class OrgUnitTests extends ServerTest {

	private static final String UNITS = "/admin/api/realms/staff/directory/units/";

	private static final ZoneOffset JST = ZoneOffset.ofHours(9);

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private JdbcClient jdbc;

	@Test
	void unitWhenRenamedThenListsAndTokensShowTheNameValidAtTheTime() throws Exception {
		String hr = hrToken();
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		OffsetDateTime now = OffsetDateTime.now(JST);
		directory.unit("O1-TOP", "bureau", "企画局", null);
		DirectoryAdmin.ok(this.admin.putJson(UNITS + "O1-SEC", hr, """
				{"kind": "section", "nameJa": "旧課", "nameEn": "Old Section", "parent": "O1-TOP", "validFrom": "%s"}
				""".formatted(now.minusDays(3))));
		DirectoryAdmin.ok(this.admin.postJson(UNITS + "O1-SEC/rename", hr, """
				{"nameJa": "新課", "nameEn": "New Section", "effectiveAt": "%s"}
				""".formatted(now.minusDays(1))));
		DirectoryAdmin.ok(this.admin.postJson(UNITS + "O1-SEC/rename", hr, """
				{"nameJa": "未来課", "nameEn": "Future Section", "effectiveAt": "%s"}
				""".formatted(now.plusDays(1))));

		JsonNode before = AdminApi.json(this.admin.get(UNITS + "O1-SEC?at=" + query(now.minusDays(2)), hr));
		assertThat(before.get("nameJa").asString()).isEqualTo("旧課");
		JsonNode today = AdminApi.json(this.admin.get(UNITS + "O1-SEC", hr));
		assertThat(today.get("nameJa").asString()).isEqualTo("新課");
		assertThat(today.get("nameEn").asString()).isEqualTo("New Section");
		assertThat(today.get("names").findValuesAsString("nameJa")).containsExactly("旧課", "新課", "未来課");
		JsonNode later = AdminApi.json(this.admin
			.get("/admin/api/realms/staff/directory/units?parent=O1-TOP&at=" + query(now.plusDays(2)), hr));
		assertThat(later.get("items").findValuesAsString("nameJa")).containsExactly("未来課");

		String renamed = Accounts.subjectOf(this.jdbc, "staff", "dir-renamed");
		directory.assign(renamed, "O1-SEC", "primary", null, null, null);
		OidcClient app = client("staff", "directory-app", "directory-app-secret-0123456789");
		JWTClaimsSet token = claims(app, login(app, "dir-renamed", "dir-renamed-test-pass-0001"));
		assertThat(token.getStringClaim("org")).isEqualTo("O1-SEC");
		assertThat(token.getStringClaim("org_name")).isEqualTo("新課");
		assertThat(token.getStringClaim("org_name#en")).isEqualTo("New Section");

		HttpResponse<String> outside = this.admin.postJson(UNITS + "O1-SEC/rename", hr, """
				{"effectiveAt": "%s"}
				""".formatted(now.minusDays(5)));
		assertThat(outside.statusCode()).isEqualTo(400);
		assertThat(AdminApi.json(outside).get("errors").findValuesAsString("field"))
			.containsExactlyInAnyOrder("nameJa", "effectiveAt");
	}

	@Test
	void unitWhenMergedThenItsPeopleMoveAndTheirNextTokenShowsTheSurvivingUnit() throws Exception {
		String hr = hrToken();
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		directory.unit("O2-A", "section", "統合元課", null);
		directory.unit("O2-B", "section", "統合先課", null);
		directory.rule("directory-app", "ledger-viewer", "\"unit\": \"O2-A\"");
		String merged = Accounts.subjectOf(this.jdbc, "staff", "dir-merged");
		directory.assign(merged, "O2-A", "primary", null, null, null);
		OidcClient app = client("staff", "directory-app", "directory-app-secret-0123456789");
		OIDCTokenResponse tokens = login(app, "dir-merged", "dir-merged-test-pass-0001");
		assertThat(claims(app, tokens).getStringClaim("org")).isEqualTo("O2-A");

		HttpResponse<String> response = this.admin.postJson(UNITS + "O2-A/merge", hr, "{\"into\": \"O2-B\"}");
		assertThat(response.statusCode()).as(response::body).isEqualTo(200);
		JsonNode result = AdminApi.json(response);
		assertThat(result.get("movedPosts").asInt()).isEqualTo(1);
		assertThat(result.get("rulesOnMergedUnit").size()).as("the rule on the merged unit is reported").isEqualTo(1);

		TokenResponse refreshed = app.refresh(tokens.getOIDCTokens().getRefreshToken());
		JWTClaimsSet after = app
			.verifyAccessToken(refreshed.toSuccessResponse().getTokens().getAccessToken().getValue());
		assertThat(after.getStringClaim("org")).isEqualTo("O2-B");
		assertThat(after.getStringListClaim("orgs")).containsExactly("O2-B");
		JsonNode unit = AdminApi.json(this.admin.get(UNITS + "O2-A", hr));
		assertThat(unit.get("mergedInto").asString()).isEqualTo("O2-B");
		assertThat(unit.get("validTo").isNull()).isFalse();
		JsonNode posts = AdminApi.json(this.admin.get(DirectoryAdmin.users(merged) + "/assignments", hr));
		assertThat(posts.get("items").findValuesAsString("unit")).containsExactly("O2-A", "O2-B");

		HttpResponse<String> again = this.admin.postJson(UNITS + "O2-A/merge", hr, "{\"into\": \"O2-A\"}");
		assertThat(again.statusCode()).isEqualTo(400);
		assertThat(AdminApi.json(again).get("errors").findValuesAsString("field"))
			.containsExactlyInAnyOrder("into", "effectiveAt");
	}

	@Test
	void unitWhenClosedWhileOccupiedThenConflictListsThePeopleUntilTheyAreGone() {
		String hr = hrToken();
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		directory.unit("O3-TOP", "department", "閉鎖部", null);
		directory.unit("O3-SEC", "section", "閉鎖課", "O3-TOP");
		String closer = Accounts.subjectOf(this.jdbc, "staff", "dir-closer");
		directory.staff(closer, "O3-0001");
		directory.assign(closer, "O3-SEC", "concurrent", null, null, null);
		OffsetDateTime tomorrow = OffsetDateTime.now(JST).plusDays(1);

		HttpResponse<String> occupied = this.admin.language("en")
			.postJson(UNITS + "O3-SEC/close", hr, "{\"effectiveAt\": \"%s\"}".formatted(tomorrow));
		assertThat(occupied.statusCode()).isEqualTo(409);
		JsonNode problem = AdminApi.json(occupied);
		assertThat(problem.get("type").asString()).isEqualTo("urn:hitotsu:problem:directory-conflict");
		assertThat(problem.get("detail").asString()).contains("O3-SEC", "1 people");
		assertThat(problem.get("conflicts").get(0).asString()).isEqualTo("O3-0001");
		HttpResponse<String> parent = this.admin.language("ja")
			.postJson(UNITS + "O3-TOP/close", hr, "{\"effectiveAt\": \"%s\"}".formatted(tomorrow));
		assertThat(parent.statusCode()).isEqualTo(409);
		assertThat(AdminApi.json(parent).get("detail").asString()).contains("O3-TOP", "下位組織");
		assertThat(AdminApi.json(parent).get("conflicts").get(0).asString()).isEqualTo("O3-SEC");
		assertThat(this.admin.delete(UNITS + "O3-SEC", hr).statusCode()).as("a unit with posts is not deleted")
			.isEqualTo(409);

		String post = AdminApi.json(this.admin.get(DirectoryAdmin.users(closer) + "/assignments", hr))
			.get("items").get(0).get("id").asString();
		DirectoryAdmin.ok(this.admin.delete(DirectoryAdmin.users(closer) + "/assignments/" + post, hr));
		DirectoryAdmin.ok(this.admin.postJson(UNITS + "O3-SEC/close", hr,
				"{\"effectiveAt\": \"%s\"}".formatted(tomorrow)));
		JsonNode open = AdminApi.json(this.admin.get("/admin/api/realms/staff/directory/units?parent=O3-TOP", hr));
		assertThat(open.get("items").findValuesAsString("code")).containsExactly("O3-SEC");
		JsonNode closed = AdminApi.json(this.admin
			.get("/admin/api/realms/staff/directory/units?parent=O3-TOP&at=" + query(tomorrow.plusHours(1)), hr));
		assertThat(closed.get("items").isEmpty()).isTrue();

		directory.unit("O3-UNUSED", "unit", "未使用係", null);
		DirectoryAdmin.ok(this.admin.delete(UNITS + "O3-UNUSED", hr));
		HttpResponse<String> gone = this.admin.get(UNITS + "O3-UNUSED", hr);
		assertThat(gone.statusCode()).isEqualTo(404);
		assertThat(AdminApi.json(gone).get("type").asString()).isEqualTo("urn:hitotsu:problem:unknown-directory-entry");
	}

	@Test
	void directoryListsWhenPagedThenStableOrderAndBadPagesListEveryParameter() {
		String hr = hrToken();
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		directory.unit("O4-SEC", "section", "一覧課", null);
		directory.rule("o4-client", "reader", "\"unit\": \"O4-SEC\"");
		directory.rule("o4-client", "writer", "\"unit\": \"O4-SEC\"");
		String rules = "/admin/api/realms/staff/directory/role-rules?client=o4-client";
		JsonNode first = AdminApi.json(this.admin.get(rules + "&max=1", hr));
		assertThat(first.get("items").findValuesAsString("role")).containsExactly("reader");
		assertThat(first.get("next").asInt()).isEqualTo(1);
		JsonNode second = AdminApi.json(this.admin.get(rules + "&max=1&first=1", hr));
		assertThat(second.get("items").findValuesAsString("role")).containsExactly("writer");
		assertThat(second.get("next").isNull()).isTrue();
		DirectoryAdmin.ok(this.admin.delete("/admin/api/realms/staff/directory/role-rules/"
				+ second.get("items").get(0).get("id").asString(), hr));
		assertThat(AdminApi.json(this.admin.get(rules, hr)).get("items").size()).isEqualTo(1);

		HttpResponse<String> bad = this.admin.get(rules + "&max=0&first=-1", hr);
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(AdminApi.json(bad).get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("first",
				"max");
	}

	private String hrToken() {
		return this.admin.token("dir-hr", "dir-hr-test-pass-0001");
	}

	private static String query(OffsetDateTime time) {
		return URLEncoder.encode(time.toString(), StandardCharsets.UTF_8);
	}

}
