package jp.hitotsu.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.util.MultivaluedMapUtils;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/integration/spring-boot.md, as a department would follow it: the example application
 * of {@code docs/integration/examples/spring-boot} is built from its own pom (a nested Maven
 * build, offline: the main pom's test-scope starters put what it needs into the local
 * repository), registered through the admin API as register-application.md says, and run as a
 * jar against the packaged Hitotsu with nothing but the properties its application.yml names.
 * Hitotsu is reached as {@code localhost} and the example as {@code 127.0.0.1}, so their
 * cookies stay apart as on two hosts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringBootGuideIT {

	private static final String REALM = "guides-spring";

	private static final Path EXAMPLE = Path.of("docs", "integration", "examples", "spring-boot").toAbsolutePath();

	private static final Duration EXAMPLE_START = Duration.ofSeconds(60);

	/** A program calling the API: no cookies, no redirects followed. */
	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private Path dir;

	private ServerProcess hitotsu;

	private Process example;

	private int appPort;

	private String secret;

	private String adminToken;

	private AdminApi admin;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("hitotsu-spring-guide-it-");
		Path jar = buildExample();
		int port = ServerProcess.freePort();
		this.hitotsu = ServerProcess.start("spring-guide", port,
				// staff too: its tokens must be refused here
				List.of("--hitotsu.data-dir=" + this.dir.resolve("data"), "--hitotsu.admin.realm=" + REALM,
						"--hitotsu.realms-dir=" + ServerProcess.testRealms(this.dir, REALM, "staff")));
		this.admin = new AdminApi(hitotsuBase());
		this.adminToken = this.admin.login(REALM, "guide-admin", "guide-admin-test-pass-0001")
			.getOIDCTokens()
			.getAccessToken()
			.getValue();
		this.appPort = ServerProcess.freePort();
		registerClient();
		placeKatoInTheFinanceSection();
		startExample(jar);
	}

	@AfterAll
	void stop() {
		if (this.example != null) {
			this.example.destroy();
			try {
				this.example.waitFor(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.hitotsu != null) {
			this.hitotsu.stop();
		}
		if (this.dir != null) {
			ServerProcess.cleanUp(this.dir);
		}
	}

	@Test
	void personLogsInThroughTheExampleWhichShowsNameSubRolesAndOrg() {
		Browserless browser = new Browserless().language("en");
		Document home = logIn(browser, "kato", "kato-guide-test-pass-0001");
		assertThat(home.getElementById("name").text()).isEqualTo("加藤 恵");
		assertThat(home.getElementById("sub").text()).isEqualTo(subject("kato"));
		assertThat(home.getElementById("roles").text()).isEqualTo("ledger-viewer, ledger-approver");
		assertThat(home.getElementById("org").text()).isEqualTo("ZAIMU");
		assertThat(home.text()).contains("財務課");

		Document other = logIn(new Browserless().language("en"), "ito", "ito-guide-test-pass-0001");
		assertThat(other.getElementById("roles").text()).isEqualTo("ledger-viewer");
	}

	@Test
	void apiTakesTheRealmsAccessTokensForTheExampleAndChecksTheRole() throws Exception {
		OIDCTokenResponse kato = tokens("kato", "kato-guide-test-pass-0001");
		HttpResponse<String> me = api("/api/me", kato.getOIDCTokens().getAccessToken().getValue());
		assertThat(me.statusCode()).as(() -> me.headers().map() + me.body() + exampleLog()).isEqualTo(200);
		JsonNode claims = AdminApi.json(me);
		assertThat(claims.get("sub").asString()).isEqualTo(subject("kato"));
		assertThat(claims.get("org").asString()).isEqualTo("ZAIMU");
		assertThat(claims.get("authorities").toString()).contains("ROLE_ledger-approver", "ROLE_ledger-viewer");
		assertThat(api("/api/approvals", kato.getOIDCTokens().getAccessToken().getValue()).statusCode())
			.as("the approver role").isEqualTo(200);

		String ito = tokens("ito", "ito-guide-test-pass-0001").getOIDCTokens().getAccessToken().getValue();
		assertThat(api("/api/me", ito).statusCode()).isEqualTo(200);
		assertThat(api("/api/approvals", ito).statusCode()).as("without the approver role").isEqualTo(403);

		assertRefused(null, "no token");
		assertRefused(kato.getOIDCTokens().getIDTokenString(), "an ID token of the same client (not typ at+jwt)");
		assertRefused(clientCredentials(REALM, "reports-batch", "reports-batch-secret-0123456789"),
				"a token of the realm meant for another client (aud)");
		assertRefused(clientCredentials("staff", "batch", "batch-secret-0123456789"), "a token of another realm");
	}

	private void assertRefused(String accessToken, String what) throws Exception {
		HttpResponse<String> refused = api("/api/me", accessToken);
		assertThat(refused.statusCode()).as(() -> what + ": " + refused.headers().map() + refused.body())
			.isEqualTo(401);
		assertThat(refused.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(
				(challenge) -> assertThat(challenge).startsWith("Bearer"));
	}

	@Test
	void logoutButtonEndsTheExamplesSessionAndTheLoginAtHitotsu() {
		Browserless browser = new Browserless().language("en");
		Document home = logIn(browser, "kato", "kato-guide-test-pass-0001");
		HttpResponse<String> logout = browser.post(app("/logout"),
				Map.of("_csrf", home.selectFirst("form[action=/logout] input[name=_csrf]").attr("value")));
		assertThat(logout.statusCode()).isEqualTo(302);
		URI endSession = Browserless.location(logout);
		assertThat(endSession.toString()).startsWith(hitotsuBase() + "/realms/" + REALM + "/connect/logout");
		assertThat(query(endSession)).containsKey("id_token_hint")
			.containsEntry("post_logout_redirect_uri", app("/signed-out").toString());
		HttpResponse<String> signedOut = follow(browser, browser.get(endSession));
		assertThat(signedOut.uri()).isEqualTo(app("/signed-out"));
		assertThat(signedOut.body()).contains("You are signed out");

		assertThat(browser.get(app("/")).statusCode()).as("the example's session ended").isEqualTo(302);
		HttpResponse<String> again = follow(browser, browser.get(app("/")));
		assertThat(again.uri().getPath()).as("Hitotsu asks for the password again")
			.isEqualTo("/realms/" + REALM + "/login");
	}

	@Test
	void sessionEndedAtHitotsuEndsTheExamplesSessionThroughTheBackChannel() {
		Browserless browser = new Browserless().language("en");
		logIn(browser, "ito", "ito-guide-test-pass-0001");
		HttpResponse<String> ended = this.admin.delete("/admin/api/realms/" + REALM + "/users/" + subject("ito")
				+ "/sessions", this.adminToken);
		assertThat(ended.statusCode()).as(ended::body).isEqualTo(204);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		int status = browser.get(app("/")).statusCode();
		while (status == 200 && System.nanoTime() < deadline) {
			ServerProcess.sleep(Duration.ofMillis(200));
			status = browser.get(app("/")).statusCode();
		}
		assertThat(status).as(() -> "the example's session after the logout token\n" + exampleLog()).isEqualTo(302);
	}

	/** Takes a browser through the example's login (authorization code + PKCE) to its home page. */
	private Document logIn(Browserless browser, String username, String password) {
		HttpResponse<String> toLogin = browser.get(app("/"));
		assertThat(toLogin.statusCode()).as(() -> toLogin.body() + exampleLog()).isEqualTo(302);
		HttpResponse<String> toHitotsu = browser.get(Browserless.location(toLogin));
		URI authorization = Browserless.location(toHitotsu);
		assertThat(authorization.toString()).startsWith(hitotsuBase() + "/realms/" + REALM + "/oauth2/authorize");
		Map<String, String> request = query(authorization);
		assertThat(request).containsEntry("client_id", "ledger")
			.containsEntry("code_challenge_method", "S256")
			.containsKey("code_challenge")
			.containsEntry("scope", "openid profile organization");
		URI callback = browser.authorize(authorization, username, password);
		assertThat(callback.toString()).startsWith(app("/login/oauth2/code/hitotsu").toString());
		HttpResponse<String> home = follow(browser, browser.get(callback));
		assertThat(home.statusCode()).as(() -> home.body() + exampleLog()).isEqualTo(200);
		assertThat(home.uri().getPath()).isEqualTo("/");
		return Jsoup.parse(home.body(), home.uri().toString());
	}

	/** Follows redirects as a browser does, until a page. */
	private static HttpResponse<String> follow(Browserless browser, HttpResponse<String> response) {
		HttpResponse<String> current = response;
		for (int hops = 0; current.statusCode() == 302 && hops < 10; hops++) {
			current = browser.get(Browserless.location(current));
		}
		return current;
	}

	/** A person's tokens for the example's client, as the example itself would get them. */
	private OIDCTokenResponse tokens(String username, String password) {
		OidcClient ledger = new OidcClient(discover(REALM), "ledger", this.secret);
		OidcClient.Authorization authorization = ledger.authorization(app("/login/oauth2/code/hitotsu"),
				"openid profile organization");
		return ledger.exchange(new Browserless().authorize(authorization.uri(), username, password), authorization);
	}

	private String clientCredentials(String realm, String clientId, String secret) throws Exception {
		return new OidcClient(discover(realm), clientId, secret).token(new ClientCredentialsGrant())
			.toSuccessResponse()
			.getTokens()
			.getAccessToken()
			.getValue();
	}

	private HttpResponse<String> api(String path, String accessToken) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(app(path)).timeout(Duration.ofSeconds(10));
		if (accessToken != null) {
			request.header("Authorization", "Bearer " + accessToken);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** register-application.md: the client through the admin API, its secret shown once. */
	private void registerClient() {
		String app = "http://127.0.0.1:" + this.appPort;
		HttpResponse<String> registered = this.admin.postJson("/admin/api/realms/" + REALM + "/clients",
				this.adminToken, """
						{"clientId": "ledger", "name": "Ledger", "type": "confidential",
						 "redirectUris": ["%1$s/login/oauth2/code/hitotsu"],
						 "postLogoutRedirectUris": ["%1$s/signed-out"],
						 "grantTypes": ["authorization_code"], "scopes": ["openid", "profile", "organization"],
						 "roles": ["ledger-viewer", "ledger-approver"], "requirePkce": true,
						 "backchannelLogoutUri": "%1$s/logout/connect/back-channel/hitotsu",
						 "backchannelLogoutSessionRequired": true}
						""".formatted(app));
		assertThat(registered.statusCode()).as(registered::body).isEqualTo(201);
		this.secret = AdminApi.json(registered).get("secret").asString();
	}

	/** roles-and-org.md: org is the unit of the person's primary post, from the directory. */
	private void placeKatoInTheFinanceSection() {
		String realm = "/admin/api/realms/" + REALM;
		HttpResponse<String> unit = this.admin.putJson(realm + "/directory/units/ZAIMU", this.adminToken, """
				{"kind": "section", "nameJa": "財務課", "nameEn": "Finance Section"}
				""");
		assertThat(unit.statusCode()).as(unit::body).isEqualTo(204);
		HttpResponse<String> post = this.admin.postJson(realm + "/users/" + subject("kato") + "/assignments",
				this.adminToken, """
						{"unit": "ZAIMU", "kind": "primary", "post": "主任"}
						""");
		assertThat(post.statusCode()).as(post::body).isEqualTo(201);
	}

	private String subject(String username) {
		HttpResponse<String> found = this.admin.get("/admin/api/realms/" + REALM + "/users?q=" + username,
				this.adminToken);
		assertThat(found.statusCode()).as(found::body).isEqualTo(200);
		for (JsonNode user : AdminApi.json(found).get("users")) {
			if (user.get("username").asString().equals(username)) {
				return user.get("id").asString();
			}
		}
		throw new AssertionError("No account " + username + " in realm " + REALM + ": " + found.body());
	}

	/**
	 * The guide's build command, with the Maven running this build (failsafe passes its home
	 * and local repository) and offline: everything comes from the local repository.
	 */
	private Path buildExample() throws Exception {
		String home = System.getProperty("maven.home");
		String mvn = (home != null) ? Path.of(home, "bin", "mvn").toString() : "mvn";
		List<String> command = new ArrayList<>(List.of(mvn, "-o", "-B", "-q", "-f",
				EXAMPLE.resolve("pom.xml").toString(), "package", "-DskipTests"));
		String repository = System.getProperty("maven.repo.local");
		if (repository != null && !repository.isBlank()) {
			command.add("-Dmaven.repo.local=" + repository);
		}
		Path log = this.dir.resolve("example-build.log");
		Process build = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		boolean done = build.waitFor(180, TimeUnit.SECONDS);
		if (!done) {
			build.destroyForcibly();
		}
		assertThat(done && build.exitValue() == 0)
			.as(() -> String.join(" ", command) + " failed (offline: the main pom's test-scope dependencies "
					+ "spring-boot-starter-security-oauth2-client and -resource-server put what the example needs "
					+ "into the local repository; a build with the network, e.g. .ci/run's mvn verify, fills it)\n"
					+ read(log))
			.isTrue();
		return EXAMPLE.resolve("target").resolve("ledger-1.0.0.jar");
	}

	/** The example as its guide runs it: the issuer, client id and secret as properties. */
	private void startExample(Path jar) throws Exception {
		Path log = this.dir.resolve("example.log");
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", jar.toString(), "--server.port=" + this.appPort,
				"--server.address=127.0.0.1", "--hitotsu.issuer=" + hitotsuBase() + "/realms/" + REALM,
				"--hitotsu.client-secret=" + this.secret);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().keySet().removeIf((key) -> key.startsWith("HITOTSU_") || key.startsWith("SPRING_"));
		this.example = builder.start();
		// like ServerProcess's servers: no example outlives an interrupted build
		Process started = this.example;
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "stop-spring-guide-example"));
		long deadline = System.nanoTime() + EXAMPLE_START.toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(this.example.isAlive()).as(() -> "the example exited\n" + exampleLog()).isTrue();
			try {
				if (api("/signed-out", null).statusCode() == 200) {
					return;
				}
			}
			catch (IOException notListeningYet) {
				// still starting
			}
			ServerProcess.sleep(Duration.ofMillis(200));
		}
		throw new AssertionError("The example did not start within " + EXAMPLE_START + "\n" + exampleLog());
	}

	private OIDCProviderMetadata discover(String realm) {
		try {
			return OIDCProviderMetadata.resolve(new Issuer(hitotsuBase() + "/realms/" + realm), 5000, 30000);
		}
		catch (GeneralException | IOException ex) {
			throw new AssertionError("Discovery of realm " + realm + " failed", ex);
		}
	}

	private String hitotsuBase() {
		return "http://localhost:" + this.hitotsu.port();
	}

	private URI app(String path) {
		return URI.create("http://127.0.0.1:" + this.appPort + path);
	}

	private String exampleLog() {
		return "\n---- example log ----\n" + read(this.dir.resolve("example.log"));
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static Map<String, String> query(URI uri) {
		return MultivaluedMapUtils.toSingleValuedMap(URLUtils.parseParameters(uri.getRawQuery()));
	}

}
