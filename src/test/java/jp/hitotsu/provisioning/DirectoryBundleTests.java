package jp.hitotsu.provisioning;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Bundles;
import jp.hitotsu.support.DirectoryAdmin;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directory bundles over the admin API, exported from the staff realm and imported into
 * {@code bundle-target}, which trusts this zone's own key (test configuration): what an
 * import creates, updates and disables, and that a tampered, truncated, foreign-signed or
 * replayed bundle changes nothing and says why.
 */
class DirectoryBundleTests extends ServerTest {

	private static final String TARGET = "bundle-target";

	@Autowired
	private BundleProperties properties;

	@Autowired
	private DirectoryBundles bundles;

	@Autowired
	private JdbcClient jdbc;

	private final AdminApi admin = new AdminApi(this);

	private String token;

	@BeforeEach
	void pinKey() {
		Bundles.pinOwnKey(this.properties, this.bundles);
		this.token = this.admin.token("bundle-admin", "bundle-admin-test-pass-01");
	}

	@Test
	void exportThenImportCreatesAccountsWithoutCredentialsAndBadBundlesChangeNothing() throws Exception {
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, this.token);
		directory.unit("BND-SHIMIN", "bureau", "市民局", null);
		directory.unit("BND-KOSEKI", "section", "戸籍課", "BND-SHIMIN");
		String first = Accounts.subjectOf(this.jdbc, "staff", "bundle-op-1");
		String second = Accounts.subjectOf(this.jdbc, "staff", "bundle-op-2");
		directory.staff(first, "BND0001");
		directory.assign(first, "BND-KOSEKI", "primary", "主査", null, null);
		// the second holds the role only through the directory, in one client
		DirectoryAdmin.ok(this.admin.put(DirectoryAdmin.users(second) + "/roles/mynumber-gateway/mynumber-operator",
				this.token));

		byte[] everyone = Bundles.export(this.admin, this.token,
				"{\"role\": \"mynumber-operator\", \"client\": \"mynumber-gateway\"}");
		List<String> lines = payloadLines(everyone);
		assertThat(lines.get(0)).contains("\"format\":\"hitotsu-directory-bundle\"", "\"kind\":\"full\"");
		assertThat(String.join("\n", lines)).contains("BND-SHIMIN", "BND-KOSEKI", "bundle-op-1", "bundle-op-2")
			.doesNotContain("password", "bundle-op-1-test-pass", "\"staff\"]");

		HttpResponse<String> imported = Bundles.importInto(this.admin, this.token, TARGET, everyone);
		assertThat(imported.statusCode()).as(imported::body).isEqualTo(200);
		JsonNode report = AdminApi.json(imported);
		List<String> created = new ArrayList<>();
		report.path("created").forEach((account) -> created.add(account.path("username").asString()));
		assertThat(created).containsExactly("bundle-op-1", "bundle-op-2");
		assertThat(report.path("created").get(0).path("activationCode").asString())
			.matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}");
		assertThat(row("bundle-op-1")).containsEntry("has_password", false)
			.containsEntry("enabled", true)
			.containsEntry("email", "bundle-op-1@example.test")
			.containsEntry("roles", "mynumber-operator")
			.containsEntry("unit", "BND-KOSEKI");
		assertThat(row("bundle-op-2")).containsEntry("has_password", false).containsEntry("roles", "mynumber-operator");
		// a code that expired or was voided is replaced for an account never activated, and only such
		String importedId = Accounts.subjectOf(this.jdbc, TARGET, "bundle-op-1");
		HttpResponse<String> reissued = this.admin.post("/admin/api/realms/" + TARGET + "/users/" + importedId
				+ "/activation-code", this.token);
		assertThat(reissued.statusCode()).as(reissued::body).isEqualTo(201);
		assertThat(AdminApi.json(reissued).path("activationCode").asString()).hasSize(24)
			.isNotEqualTo(report.path("created").get(0).path("activationCode").asString());
		HttpResponse<String> notImported = this.admin.post("/admin/api/realms/staff/users/" + first
				+ "/activation-code", this.token);
		assertThat(notImported.statusCode()).as(notImported::body).isEqualTo(409);
		assertThat(AdminApi.json(notImported).path("detail").asString()).contains("bundle-op-1", "staff");

		// the staff password opens nothing there: credentials never travel
		HttpResponse<String> login = browser().submitLogin(uri("/realms/" + TARGET + "/login"), "bundle-op-1",
				"bundle-op-1-test-pass-01");
		assertThat(login.statusCode()).isEqualTo(401);

		// the next bundle is full and lists only the section's people: the second would be disabled,
		// the first has a new address; SCIM clients and admins see both changes in the ETag
		String secondImportedId = Accounts.subjectOf(this.jdbc, TARGET, "bundle-op-2");
		String firstTag = etag(importedId);
		String secondTag = etag(secondImportedId);
		this.jdbc.sql("update account set email = 'bundle-op-1.new@example.test' where realm = 'staff' and id = :id")
			.param("id", UUID.fromString(first))
			.update();
		byte[] sectionOnly = Bundles.export(this.admin, this.token, "{\"unit\": \"BND-SHIMIN\", \"roles\": [\"mynumber-operator\"]}");
		Map<String, Object> before = row("bundle-op-2");
		refused(TARGET, tamper(sectionOnly), 400, "signature-invalid");
		refused(TARGET, Arrays.copyOf(sectionOnly, sectionOnly.length / 2), 400, "truncated");
		refused(TARGET, Arrays.copyOf(sectionOnly, sectionOnly.length - 12), 400, "truncated");
		ECKey foreign = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
		refused(TARGET, resign(sectionOnly, foreign, foreign.getKeyID()), 400, "untrusted-key");
		refused(TARGET, resign(sectionOnly, foreign, JWSObject.parse(text(sectionOnly)).getHeader().getKeyID()), 400,
				"signature-invalid");
		refused(TARGET, "not a bundle".getBytes(StandardCharsets.US_ASCII), 400, "malformed");
		refused("staff", sectionOnly, 409, "not-accepted");
		assertThat(row("bundle-op-2")).isEqualTo(before);

		HttpResponse<String> applied = Bundles.importInto(this.admin, this.token, TARGET, sectionOnly);
		assertThat(applied.statusCode()).as(applied::body).isEqualTo(200);
		assertThat(AdminApi.json(applied).path("disabled").get(0).asString()).isEqualTo("bundle-op-2");
		assertThat(AdminApi.json(applied).path("created")).isEmpty();
		assertThat(row("bundle-op-2")).containsEntry("enabled", false);
		assertThat(row("bundle-op-1")).containsEntry("enabled", true)
			.containsEntry("email", "bundle-op-1.new@example.test");
		assertThat(etag(importedId)).as("the updated account's version").isNotEqualTo(firstTag);
		assertThat(etag(secondImportedId)).as("the disabled account's version").isNotEqualTo(secondTag);

		// both bundles again: not newer than the last applied
		JsonNode replay = refused(TARGET, sectionOnly, 409, "replayed");
		assertThat(replay.path("detail").asString()).contains("Bundle " + sequence(sectionOnly), TARGET);
		refused(TARGET, everyone, 409, "replayed");
		assertThat(row("bundle-op-2")).containsEntry("enabled", false);
	}

	@Test
	void exportWithoutFilterOrWithUnknownUnitIsRefused() {
		HttpResponse<byte[]> noFilter = this.admin.postForBytes("/admin/api/realms/staff/bundles/export", this.token,
				"{\"kind\": \"full\"}");
		assertThat(noFilter.statusCode()).isEqualTo(400);
		assertThat(new String(noFilter.body(), StandardCharsets.UTF_8)).contains("\"field\":\"role\"");
		HttpResponse<byte[]> badKind = this.admin.postForBytes("/admin/api/realms/staff/bundles/export", this.token,
				"{\"role\": \"x\", \"kind\": \"partial\"}");
		assertThat(badKind.statusCode()).isEqualTo(400);
		assertThat(new String(badKind.body(), StandardCharsets.UTF_8)).contains("\"field\":\"kind\"", "partial");
		HttpResponse<byte[]> unknownUnit = this.admin.postForBytes("/admin/api/realms/staff/bundles/export",
				this.token, "{\"unit\": \"NO-SUCH-UNIT\"}");
		assertThat(unknownUnit.statusCode()).isEqualTo(400);
		assertThat(new String(unknownUnit.body(), StandardCharsets.UTF_8)).contains("NO-SUCH-UNIT");
	}

	@Test
	void helpdeskMayNotExport() {
		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		HttpResponse<byte[]> response = this.admin.postForBytes("/admin/api/realms/guarded/bundles/export", helpdesk,
				"{\"role\": \"x\"}");
		assertThat(response.statusCode()).isEqualTo(403);
	}

	private JsonNode refused(String realm, byte[] bundle, int status, String reason) {
		HttpResponse<String> response = Bundles.importInto(this.admin, this.token, realm, bundle);
		assertThat(response.statusCode()).as(response::body).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = AdminApi.json(response);
		assertThat(problem.path("type").asString()).isEqualTo("urn:hitotsu:problem:bundle-" + reason);
		assertThat(problem.path("reason").asString()).isEqualTo(reason);
		assertThat(problem.path("detail").asString()).contains(realm);
		return problem;
	}

	/** The account as the importing realm has it: credentials, state, roles and post. */
	private String etag(String accountId) {
		HttpResponse<String> summary = this.admin.get("/admin/api/realms/" + TARGET + "/users/" + accountId + "/summary",
				this.token);
		assertThat(summary.statusCode()).as(summary::body).isEqualTo(200);
		return summary.headers().firstValue("ETag").orElseThrow();
	}

	private Map<String, Object> row(String username) {
		return this.jdbc.sql("""
				select a.password_hash is not null as has_password, a.enabled, a.email,
				  (select string_agg(role, ',' order by role) from account_role r where r.account_id = a.id) as roles,
				  (select string_agg(u.code, ',') from assignment s join org_unit u on u.id = s.unit_id
				    where s.account_id = a.id and s.valid_to is null) as unit
				from account a where a.realm = :realm and a.username = :username
				""")
			.param("realm", TARGET)
			.param("username", username)
			.query()
			.singleRow();
	}

	private static String text(byte[] bundle) {
		return new String(bundle, StandardCharsets.US_ASCII).strip();
	}

	private static List<String> payloadLines(byte[] bundle) throws Exception {
		return List.of(JWSObject.parse(text(bundle)).getPayload().toString().split("\n"));
	}

	private static long sequence(byte[] bundle) throws Exception {
		String header = payloadLines(bundle).get(0);
		return Long.parseLong(header.replaceAll(".*\"sequence\":(\\d+).*", "$1"));
	}

	/** The same file with one name changed in the signed payload. */
	private static byte[] tamper(byte[] bundle) {
		String[] parts = text(bundle).split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String changed = payload.replace("山本", "山元");
		assertThat(changed).isNotEqualTo(payload);
		parts[1] = Base64.getUrlEncoder().withoutPadding().encodeToString(changed.getBytes(StandardCharsets.UTF_8));
		return String.join(".", parts).getBytes(StandardCharsets.US_ASCII);
	}

	/** The same payload and header, signed by another key under the given key id. */
	private static byte[] resign(byte[] bundle, ECKey key, String kid) throws Exception {
		JWSObject original = JWSObject.parse(text(bundle));
		JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(original.getHeader().getType())
			.keyID(kid)
			.build(), new Payload(original.getPayload().toString()));
		forged.sign(new ECDSASigner(key));
		return forged.serialize().getBytes(StandardCharsets.US_ASCII);
	}

}
