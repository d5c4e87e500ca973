package jp.hitotsu.process;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.DirectoryAdmin;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/integration/node.md, run: its example application (docs/integration/examples/node,
 * openid-client on Node) signs a person in to the packaged server with the client and the
 * person of the guide's realm file, shows what the realm told it, refreshes its tokens and
 * signs out, and ends its session when Hitotsu sends a logout token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeGuideIT {

	private static final String REALM = "guides-node";

	private static final Path EXAMPLE = Path.of("docs", "integration", "examples", "node").toAbsolutePath();

	/** Where the guide's realm file registers the app; the test runs it on a free port instead. */
	private static final String GUIDE_ORIGIN = "http://127.0.0.1:3000";

	private Path dir;

	private ServerProcess server;

	private NodeApp app;

	private String appBase;

	private JsonNode client;

	private JsonNode person;

	private String subject;

	private AdminApi admin;

	private String adminToken;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("hitotsu-node-guide-it-");
		String realmFile = Files.readString(ServerProcess.realmsDir().resolve(REALM + ".yaml"));
		JsonNode realm = YAMLMapper.builder().build().readTree(realmFile);
		this.client = realm.get("clients").get(0);
		this.person = realm.get("users").get(0);
		assertThat(this.client.get("redirect-uris").get(0).asString()).as("the app's default BASE_URL")
			.isEqualTo(GUIDE_ORIGIN + "/callback");
		int appPort = ServerProcess.freePort();
		this.appBase = "http://127.0.0.1:" + appPort;
		// the admin realm, for the directory (org) and the help desk's "end the sessions"
		Path realms = ServerProcess.testRealms(this.dir, "staff");
		Files.writeString(realms.resolve(REALM + ".yaml"), realmFile.replace(GUIDE_ORIGIN, this.appBase));
		this.server = ServerProcess.launch("node-guide", ServerProcess.freePort(),
				List.of("--hitotsu.data-dir=" + this.dir.resolve("data"), "--hitotsu.realms-dir=" + realms));
		Path work = NodeApp.install("node-guide-example", EXAMPLE, List.of("package.json", "package-lock.json", "app.mjs"));
		this.server.awaitReady(ServerProcess.START_TIMEOUT);
		this.admin = new AdminApi(this.server.base());
		this.adminToken = this.admin.token("lockout-super", "lockout-super-test-pass");
		this.subject = placeInDirectory();
		this.app = NodeApp.start("node-guide-example", work, "app.mjs",
				Map.of("ISSUER", this.server.issuer(REALM).getValue(), "CLIENT_ID", this.client.get("client-id").asString(),
						"CLIENT_SECRET", this.client.get("secret").asString(), "BASE_URL", this.appBase),
				appUri("/logged-out"));
	}

	@AfterAll
	void stop() {
		try {
			if (this.app != null) {
				this.app.close();
			}
			if (this.server != null) {
				this.server.stop();
			}
		}
		finally {
			ServerProcess.cleanUp(this.dir);
		}
	}

	@Test
	void appShowsTheSignedInPersonsNameSubjectRolesAndOrganisation() {
		Browserless browser = new Browserless().language("en");
		HttpResponse<String> anonymous = browser.get(appUri("/"));
		assertThat(anonymous.statusCode()).as("no page without a login").isEqualTo(302);
		assertThat(Browserless.location(anonymous)).isEqualTo(appUri("/login"));

		Document page = signIn(browser);
		assertThat(page.getElementById("name").text()).isEqualTo("佐藤 花子");
		assertThat(page.getElementById("sub").text()).isEqualTo(this.subject);
		assertThat(page.getElementById("roles").text()).as("the realm's roles the client lists, not 'staff'")
			.isEqualTo("ledger-viewer");
		assertThat(page.getElementById("org").text()).isEqualTo("NG-ACCOUNTS 会計管理局");
		assertThat(page.getElementById("email").text()).isEqualTo(this.person.get("email").asString());
	}

	@Test
	void refreshGetsNewTokensFromTheRealm() {
		Browserless browser = new Browserless().language("en");
		signIn(browser);
		HttpResponse<String> refreshed = browser.post(appUri("/refresh"), Map.of());
		assertThat(refreshed.statusCode()).as(refreshed::body).isEqualTo(302);
		Document page = page(browser.get(appUri("/")));
		assertThat(page.getElementById("refreshed").text()).isEqualTo("1");
		assertThat(page.getElementById("roles").text()).isEqualTo("ledger-viewer");
		JsonNode events = AdminApi.json(this.admin.get("/admin/api/realms/" + REALM
				+ "/audit-events?type=TOKEN_REFRESHED&subject=" + this.subject, this.adminToken)).get("events");
		assertThat(events.isEmpty()).as("the realm saw a refresh").isFalse();
	}

	@Test
	void signOutEndsTheLoginAtTheRealmAndReturnsToTheApp() {
		Browserless browser = new Browserless().language("en");
		signIn(browser);
		HttpResponse<String> signOut = browser.post(appUri("/logout"), Map.of());
		assertThat(signOut.statusCode()).isEqualTo(302);
		URI endSession = Browserless.location(signOut);
		OIDCProviderMetadata realm = this.server.discover(REALM);
		assertThat(endSession.toString()).startsWith(realm.getEndSessionEndpointURI() + "?");
		assertThat(query(endSession)).containsKey("id_token_hint")
			.containsEntry("post_logout_redirect_uri", this.appBase + "/logged-out");

		HttpResponse<String> back = browser.get(endSession);
		assertThat(back.statusCode()).as(back::body).isEqualTo(302);
		assertThat(Browserless.location(back)).isEqualTo(appUri("/logged-out"));
		assertThat(browser.get(appUri("/logged-out")).body()).contains("You are signed out");
		assertThat(Browserless.location(browser.get(appUri("/")))).isEqualTo(appUri("/login"));
		// the login at the realm ended too: signing in again asks for the password
		URI authorize = Browserless.location(browser.get(appUri("/login")));
		assertThat(Browserless.location(browser.get(authorize)).getPath()).isEqualTo("/realms/" + REALM + "/login");
	}

	@Test
	void appEndsItsSessionWhenTheRealmSendsALogoutToken() {
		Browserless browser = new Browserless().language("en");
		signIn(browser);
		HttpResponse<String> ended = this.admin.delete("/admin/api/realms/" + REALM + "/users/" + this.subject
				+ "/sessions", this.adminToken);
		assertThat(ended.statusCode()).as(ended::body).isEqualTo(204);
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		int status = 200;
		while (status == 200 && System.nanoTime() < deadline) {
			ServerProcess.sleep(Duration.ofMillis(100));
			status = browser.get(appUri("/")).statusCode();
		}
		assertThat(status).as(() -> "the app's page after the help desk ended the login" + this.app.tail())
			.isEqualTo(302);
	}

	@Test
	void logoutTokenNotSignedByTheRealmIsRefusedAndEndsNothing() throws Exception {
		Browserless browser = new Browserless().language("en");
		signIn(browser);
		RSAKey foreign = new RSAKeyGenerator(2048).keyID("not-the-realms").generate();
		Instant now = Instant.now();
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(foreign.getKeyID())
			.type(new JOSEObjectType("logout+jwt"))
			.build(),
				new JWTClaimsSet.Builder().issuer(this.server.issuer(REALM).getValue())
					.audience(this.client.get("client-id").asString())
					.subject(this.subject)
					.jwtID(UUID.randomUUID().toString())
					.issueTime(Date.from(now))
					.expirationTime(Date.from(now.plusSeconds(120)))
					.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
					.build());
		forged.sign(new RSASSASigner(foreign));
		for (String token : List.of(forged.serialize(), "not-a-jwt")) {
			HttpResponse<String> refused = browser.post(appUri("/backchannel-logout"), Map.of("logout_token", token));
			assertThat(refused.statusCode()).isEqualTo(400);
		}
		assertThat(browser.get(appUri("/")).statusCode()).as("still signed in").isEqualTo(200);
	}

	@Test
	void callbackWithAnotherStateIsRefusedWithAMessage() {
		Browserless browser = new Browserless().language("en");
		browser.get(appUri("/login"));
		HttpResponse<String> refused = browser.get(appUri("/callback?code=forged&state=forged"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(page(refused).text()).contains("Sign-in failed").contains("state");
	}

	/** From the app's sign-in link through the realm's login form back to the app's page. */
	private Document signIn(Browserless browser) {
		URI authorize = Browserless.location(browser.get(appUri("/login")));
		assertThat(authorize.toString()).startsWith(this.server.issuer(REALM).getValue() + "/oauth2/authorize?");
		assertThat(query(authorize)).containsEntry("code_challenge_method", "S256")
			.containsEntry("client_id", this.client.get("client-id").asString())
			.containsEntry("redirect_uri", this.appBase + "/callback")
			.containsKeys("code_challenge", "state", "nonce");
		URI callback = browser.authorize(authorize, this.person.get("username").asString(),
				this.person.get("password").asString());
		HttpResponse<String> back = browser.get(callback);
		assertThat(back.statusCode()).as(() -> back.body() + this.app.tail()).isEqualTo(302);
		assertThat(Browserless.location(back)).isEqualTo(appUri("/"));
		return page(browser.get(appUri("/")));
	}

	/** The person's post in a unit of the realm's directory, as HR would set it; returns their sub. */
	private String placeInDirectory() {
		JsonNode found = AdminApi.json(this.admin.get("/admin/api/realms/" + REALM + "/users?q="
				+ this.person.get("username").asString(), this.adminToken)).get("users");
		assertThat(found).hasSize(1);
		String id = found.get(0).get("id").asString();
		String users = "/admin/api/realms/" + REALM + "/users/" + id;
		DirectoryAdmin.ok(this.admin.putJson("/admin/api/realms/" + REALM + "/directory/units/NG-ACCOUNTS",
				this.adminToken, """
						{"kind": "bureau", "nameJa": "会計管理局", "nameEn": "Accounts Bureau", "validFrom": "%s"}
						""".formatted(OffsetDateTime.now(ZoneOffset.UTC).minusDays(1))));
		DirectoryAdmin.ok(this.admin.putJson(users + "/staff", this.adminToken, """
				{"employeeNumber": "NG-0001", "familyName": "佐藤", "givenName": "花子"}
				"""));
		DirectoryAdmin.ok(this.admin.postJson(users + "/assignments", this.adminToken, """
				{"unit": "NG-ACCOUNTS", "kind": "primary", "validFrom": "%s"}
				""".formatted(Instant.now().minusSeconds(3600))));
		return id;
	}

	private Document page(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(() -> response.body() + this.app.tail()).isIn(200, 400);
		return Jsoup.parse(response.body());
	}

	private URI appUri(String path) {
		return URI.create(this.appBase + path);
	}

	private static Map<String, String> query(URI uri) {
		return URLUtils.parseParameters(uri.getRawQuery())
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (parameter) -> String.join(",", parameter.getValue())));
	}

}
