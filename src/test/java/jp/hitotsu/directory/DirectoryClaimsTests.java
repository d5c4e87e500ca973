package jp.hitotsu.directory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.DirectoryAdmin;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import jp.hitotsu.support.TestClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory's claims as a relying party sees them: {@code org}, {@code orgs},
 * {@code roles} and {@code employee_number}, per client and scope, before and after an
 * effective time.
 */
class DirectoryClaimsTests extends ServerTest {

	static final URI APP_CALLBACK = URI.create("https://directory.example.test/callback");

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TestClock clock;

	@Test
	void tokensWhenPrimaryPostChangesAtEffectiveTimeThenCarryOldThenNewOrgAndRoles() throws Exception {
		String hr = this.admin.token("dir-hr", "dir-hr-test-pass-0001");
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		String kato = Accounts.subjectOf(this.jdbc, "staff", "dir-kato");
		directory.unit("C1-BUREAU", "bureau", "総務局", null);
		directory.unit("C1-DEPT", "department", "総務部", "C1-BUREAU");
		directory.unit("C1-SEC-A", "section", "文書課", "C1-DEPT");
		directory.unit("C1-SEC-B", "section", "契約課", "C1-DEPT");
		DirectoryAdmin.ok(this.admin.putJson(DirectoryAdmin.users(kato) + "/staff", hr, """
				{"employeeNumber": "C1-0001", "familyName": "加藤", "givenName": "𠮷子",
				 "familyNameKana": "カトウ", "givenNameKana": "ヨシコ", "romanisedName": "Kato Yoshiko", "jobGrade": "3"}
				"""));
		// far enough ahead for the login below on a loaded machine; crossed by moving the clock
		Instant moves = this.clock.instant().plusSeconds(15);
		directory.assign(kato, "C1-SEC-A", "primary", null, null, moves);
		directory.assign(kato, "C1-SEC-B", "primary", null, moves, null);
		directory.assign(kato, "C1-DEPT", "concurrent", "課長補佐", null, null);
		directory.rule("directory-app", "ledger-viewer", "\"unit\": \"C1-BUREAU\"");
		directory.rule("directory-app", "ledger-approver", "\"unit\": \"C1-SEC-B\"");
		directory.rule("directory-app", "budget-officer", "\"post\": \"課長補佐\"");
		// a role the client does not list never reaches its tokens, whatever grants it
		directory.rule("directory-app", "super-admin", "\"unit\": \"C1-BUREAU\"");
		DirectoryAdmin.ok(this.admin.put(DirectoryAdmin.users(kato) + "/roles/directory-app/ledger-auditor", hr));

		OidcClient app = client("staff", "directory-app", "directory-app-secret-0123456789");
		OidcClient.Authorization authorization = app.authorization(APP_CALLBACK, "openid organization employee_number");
		OIDCTokenResponse tokens = app.exchange(
				browser().authorize(authorization.uri(), "dir-kato", "dir-kato-test-pass-0001"), authorization);
		JWTClaimsSet before = app.verifyAccessToken(tokens.getOIDCTokens().getAccessToken().getValue());
		assertThat(before.getStringClaim("org")).isEqualTo("C1-SEC-A");
		assertThat(before.getStringListClaim("orgs")).containsExactly("C1-SEC-A", "C1-DEPT");
		assertThat(before.getStringListClaim("roles")).containsExactly("ledger-viewer", "budget-officer",
				"ledger-auditor");
		assertThat(before.getStringClaim("employee_number")).isEqualTo("C1-0001");
		JWTClaimsSet idToken = app.verifyIdToken(tokens.getOIDCTokens().getIDToken(), authorization.nonce());
		assertThat(idToken.getStringClaim("org")).isEqualTo("C1-SEC-A");
		assertThat(idToken.getStringClaim("employee_number")).isEqualTo("C1-0001");

		this.clock.advance(Duration.between(this.clock.instant(), moves).plusSeconds(1));
		TokenResponse refreshed;
		try {
			refreshed = app.refresh(tokens.getOIDCTokens().getRefreshToken());
		}
		finally {
			this.clock.reset();
		}
		assertThat(refreshed.indicatesSuccess()).isTrue();
		JWTClaimsSet after = app
			.verifyAccessToken(refreshed.toSuccessResponse().getTokens().getAccessToken().getValue());
		assertThat(after.getStringClaim("org")).isEqualTo("C1-SEC-B");
		assertThat(after.getStringListClaim("orgs")).containsExactly("C1-SEC-B", "C1-DEPT");
		assertThat(after.getStringListClaim("roles")).containsExactly("ledger-viewer", "ledger-approver",
				"budget-officer", "ledger-auditor");
	}

	@Test
	void tokensWhenClientDidNotAskForDirectoryScopesThenCarryNoDirectoryClaims() throws Exception {
		String hr = this.admin.token("dir-hr", "dir-hr-test-pass-0001");
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		String plain = Accounts.subjectOf(this.jdbc, "staff", "dir-plain");
		directory.unit("C2-SEC", "section", "広報課", null);
		DirectoryAdmin.ok(this.admin.putJson(DirectoryAdmin.users(plain) + "/staff", hr, """
				{"employeeNumber": "C2-0001", "familyName": "森", "givenName": "一"}
				"""));
		directory.rule("directory-app", "ledger-viewer", "\"unit\": \"C2-SEC\"");
		directory.assign(plain, "C2-SEC", "primary", null, null, null);

		OidcClient app = client("staff", "directory-app", "directory-app-secret-0123456789");
		OidcClient.Authorization openidOnly = app.authorization(APP_CALLBACK, "openid");
		JWTClaimsSet token = app.verifyAccessToken(app
			.exchange(browser().authorize(openidOnly.uri(), "dir-plain", "dir-plain-test-pass-0001"), openidOnly)
			.getOIDCTokens()
			.getAccessToken()
			.getValue());
		assertThat(token.getClaims()).doesNotContainKeys("org", "orgs", "employee_number");
		assertThat(token.getStringListClaim("roles")).containsExactly("ledger-viewer");

		// organization without employee_number; and a rule for another client is not this one's
		OidcClient lean = client("staff", "directory-lean", "directory-lean-secret-0123456789");
		OidcClient.Authorization organization = lean.authorization(URI.create("https://lean.example.test/callback"),
				"openid organization");
		JWTClaimsSet leanToken = lean.verifyAccessToken(lean
			.exchange(browser().authorize(organization.uri(), "dir-plain", "dir-plain-test-pass-0001"), organization)
			.getOIDCTokens()
			.getAccessToken()
			.getValue());
		assertThat(leanToken.getStringClaim("org")).isEqualTo("C2-SEC");
		assertThat(leanToken.getClaims()).doesNotContainKeys("employee_number", "roles");
	}

	@Test
	void discoveryWhenAClientOfTheRealmHasDirectoryScopesThenTheyAreSupported() {
		assertThat(discover("staff").getScopes().toStringList()).contains("openid", "organization",
				"employee_number");
		assertThat(discover("staff").getClaims()).contains("org", "org_name", "orgs", "employee_number");
		assertThat(discover("citizen").getScopes().toStringList()).contains("openid")
			.doesNotContain("organization", "employee_number");
	}

	@Test
	void directoryChangesWhenInputIsBadThenProblemListsEveryField() {
		String hr = this.admin.token("dir-hr", "dir-hr-test-pass-0001");
		var response = this.admin.putJson("/admin/api/realms/staff/directory/units/bad%20code", hr, """
				{"kind": "ministry", "parent": "NO-SUCH-UNIT"}
				""");
		assertThat(response.statusCode()).isEqualTo(400);
		var body = AdminApi.json(response);
		assertThat(body.get("type").asString()).isEqualTo("urn:hitotsu:problem:invalid-request");
		assertThat(body.get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("code", "kind",
				"nameJa", "parent");
		String kato = Accounts.subjectOf(this.jdbc, "staff", "dir-kato");
		var assignment = this.admin.postJson(DirectoryAdmin.users(kato) + "/assignments", hr, "{\"unit\": \"NO-SUCH-UNIT\"}");
		assertThat(AdminApi.json(assignment).get("errors").findValuesAsString("field"))
			.containsExactlyInAnyOrder("unit", "kind");
		var unknownUser = this.admin.putJson(DirectoryAdmin.users("not-a-user") + "/staff", hr, "{}");
		assertThat(unknownUser.statusCode()).isEqualTo(404);
	}

	@Test
	void directoryChangesWhenCallerLacksTheRoleThenForbidden() {
		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		var response = this.admin.putJson("/admin/api/realms/staff/directory/units/X1", helpdesk,
				"{\"kind\": \"unit\", \"nameJa\": \"係\"}");
		assertThat(response.statusCode()).isEqualTo(403);
	}

	/** A login through a new browser asking for scope {@code organization}. */
	static OIDCTokenResponse login(OidcClient app, String username, String password) {
		OidcClient.Authorization authorization = app.authorization(APP_CALLBACK, "openid organization");
		return app.exchange(new Browserless().authorize(authorization.uri(), username, password), authorization);
	}

	static JWTClaimsSet claims(OidcClient app, OIDCTokenResponse tokens) throws Exception {
		return app.verifyAccessToken(tokens.getOIDCTokens().getAccessToken().getValue());
	}

}
