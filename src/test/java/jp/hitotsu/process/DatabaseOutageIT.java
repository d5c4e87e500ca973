package jp.hitotsu.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The packaged server against a PostgreSQL of the test's own that is stopped and started
 * again under it: while it is down, what needs no database (JWKS, discovery) answers from
 * memory, everything else answers 503 with {@code Retry-After} in its caller's format
 * within the configured bound, never 500, and readiness is DOWN; once it is back, the same
 * server serves again without a restart. Last, a graceful stop lets a request in flight
 * finish. The measured times are printed ({@code docs/benchmarks.md} keeps them).
 *
 * <p>
 * The steps build on each other and run in order; a step is skipped when an earlier one
 * failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOutageIT {

	/** {@code hitotsu.database.unavailable-timeout}, the default. */
	private static final Duration UNAVAILABLE_TIMEOUT = Duration.ofSeconds(2);

	/** What an answer may take on top of that bound on a small, busy machine. */
	private static final Duration SLACK = Duration.ofMillis(2500);

	private static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	private static final URI WEB_APP_CALLBACK = URI.create("https://app.example.test/callback");

	private static final URI ADMIN_CALLBACK = URI.create("http://127.0.0.1/admin/callback");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private Path dir;

	private int postgresPort;

	private EmbeddedPostgres postgres;

	private ServerProcess server;

	private int stepsPassed;

	private String loginAccessToken;

	private String idToken;

	private String clientToken;

	private String adminToken;

	/** Every status answered while the database was down, to check none was a 500. */
	private final List<String> answers = new ArrayList<>();

	/** How long the last request took, and the longest a 503 took. */
	private Duration lastTook = Duration.ZERO;

	private Duration longest503 = Duration.ZERO;

	@BeforeAll
	void startPostgresAndServer() throws IOException {
		this.dir = Files.createTempDirectory("hitotsu-outage-it-");
		this.postgresPort = ServerProcess.freePort();
		this.postgres = startPostgres();
		this.server = ServerProcess.start("database-outage", ServerProcess.freePort(), List.of(
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + this.postgresPort + "/postgres",
				"--spring.datasource.username=postgres", "--hitotsu.keys.master-key=" + MASTER_KEY,
				"--hitotsu.data-dir=" + this.dir.resolve("data"),
				"--hitotsu.realms-dir=" + ServerProcess.testRealms(this.dir, "staff"),
				// clients and keys are read again a second after they were read: the outage
				// reaches the token endpoint, and keys must be served from memory, at once
				"--hitotsu.cache.refresh=1s", "--hitotsu.keys.cache-refresh=1s",
				// the JSON log format, whose lines must carry the request id
				"--logging.structured.format.console=ecs"));
	}

	@BeforeEach
	void earlierStepsPassed(TestInfo test) {
		int order = test.getTestMethod().orElseThrow().getAnnotation(Order.class).value();
		assumeThat(this.stepsPassed).as("an earlier step failed").isEqualTo(order - 1);
	}

	@AfterAll
	void stopEverything() throws IOException {
		try {
			if (this.server != null) {
				this.server.stop();
			}
		}
		finally {
			if (this.postgres != null) {
				this.postgres.close();
			}
			ServerProcess.cleanUp(this.dir);
		}
	}

	@Test
	@Order(1)
	void whileTheDatabaseRunsEverythingWorks() {
		OidcClient webApp = new OidcClient(this.server.discover("staff"), "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = webApp.authorization(WEB_APP_CALLBACK, "openid profile");
		var tokens = webApp
			.exchange(new Browserless().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"), authorization)
			.getOIDCTokens();
		this.loginAccessToken = tokens.getAccessToken().getValue();
		this.idToken = tokens.getIDTokenString();
		this.clientToken = clientCredentials();
		OidcClient console = new OidcClient(this.server.discover("staff"), "admin-console", null);
		OidcClient.Authorization adminLogin = console.authorization(ADMIN_CALLBACK, "openid");
		this.adminToken = console
			.exchange(new Browserless().authorize(adminLogin.uri(), "lockout-super", "lockout-super-test-pass"),
					adminLogin)
			.getOIDCTokens()
			.getAccessToken()
			.getValue();
		assertThat(get("/realms/staff/oauth2/jwks", Map.of()).statusCode()).isEqualTo(200);
		assertThat(userInfo().statusCode()).isEqualTo(200);
		assertThat(get("/admin/api/realms/staff/audit-events?limit=1", bearer(this.adminToken)).statusCode())
			.isEqualTo(200);
		this.stepsPassed = 1;
	}

	@Test
	@Order(2)
	void whileTheDatabaseIsDownOnlyWhatNeedsItAnswers503WithinTheBound() throws Exception {
		this.postgres.close();
		this.postgres = null;
		// past hitotsu.cache.refresh: the client must be read again, from a database that is gone
		ServerProcess.sleep(Duration.ofMillis(1200));

		long started = System.nanoTime();
		HttpResponse<String> token = post("/realms/staff/oauth2/token", Map.of("X-Request-Id", "outage-probe-1",
				"Authorization", basic("batch", "batch-secret-0123456789")),
				"grant_type=client_credentials&scope=reports.read");
		Duration waited = Duration.ofNanos(System.nanoTime() - started);
		assertUnavailable(token, "token");
		assertThat(JSON.readTree(token.body()).path("error").asString()).isEqualTo("temporarily_unavailable");
		assertThat(waited).as("the token request waited at most the bound").isLessThan(UNAVAILABLE_TIMEOUT.plus(SLACK));
		System.out.printf("[DatabaseOutageIT] client-credentials token request answered 503 after %d ms%n",
				waited.toMillis());
		assertThat(this.server.logText()).as("JSON log lines carrying the request id")
			.containsPattern("\\{.*\"requestId\":\"outage-probe-1\".*answered 503.*\\}|\\{.*answered 503.*\"requestId\":\"outage-probe-1\".*\\}");

		assertUnavailable(userInfo(), "userinfo");
		assertUnavailable(post("/realms/staff/oauth2/introspect", Map.of("Authorization",
				basic("batch", "batch-secret-0123456789")), "token=" + this.clientToken), "introspection");
		assertUnavailable(post("/realms/staff/oauth2/revoke", Map.of("Authorization",
				basic("batch", "batch-secret-0123456789")), "token=" + this.clientToken), "revocation");

		HttpResponse<String> admin = get("/admin/api/realms/staff/audit-events?limit=1",
				Map.of("Authorization", "Bearer " + this.adminToken, "Accept", "application/json",
						"Accept-Language", "en"));
		assertUnavailable(admin, "admin API");
		JsonNode problem = JSON.readTree(admin.body());
		assertThat(problem.path("type").asString()).isEqualTo("urn:hitotsu:problem:temporarily-unavailable");
		assertThat(problem.path("status").asInt()).isEqualTo(503);

		HttpResponse<String> page = get("/realms/staff/login",
				Map.of("Accept", "text/html", "Accept-Language", "ja"));
		assertUnavailable(page, "login page");
		assertThat(page.body()).contains("一時的に利用できません");

		HttpResponse<String> logout = get("/realms/staff/connect/logout?id_token_hint=" + this.idToken,
				Map.of("Accept", "text/html", "Accept-Language", "en"));
		assertUnavailable(logout, "logout");
		assertThat(logout.body()).contains("Temporarily unavailable");

		started = System.nanoTime();
		HttpResponse<String> jwks = get("/realms/staff/oauth2/jwks", Map.of());
		Duration jwksTook = Duration.ofNanos(System.nanoTime() - started);
		record(jwks, "jwks");
		assertThat(jwks.statusCode()).as("JWKS from memory").isEqualTo(200);
		assertThat(jwksTook).isLessThan(UNAVAILABLE_TIMEOUT.plus(SLACK));
		HttpResponse<String> discovery = get("/realms/staff/.well-known/openid-configuration", Map.of());
		record(discovery, "discovery");
		assertThat(discovery.statusCode()).as("discovery from memory").isEqualTo(200);

		started = System.nanoTime();
		HttpResponse<String> readiness = get("/actuator/health/readiness", Map.of());
		Duration readinessTook = Duration.ofNanos(System.nanoTime() - started);
		record(readiness, "readiness");
		assertThat(readiness.statusCode()).isEqualTo(503);
		assertThat(readiness.body()).contains("DOWN");
		assertThat(readinessTook).as("readiness answers within the probe's 3 s").isLessThan(Duration.ofSeconds(3));
		assertThat(get("/actuator/health/liveness", Map.of()).statusCode()).as("liveness: no restart").isEqualTo(200);
		assertThat(this.server.logText()).as("no error while rendering an error").doesNotContain("Exception Processing");

		assertThat(this.answers).as("answers while the database was down").noneMatch((answer) -> answer.contains(" 500"));
		System.out.printf("[DatabaseOutageIT] longest 503 took %d ms; JWKS %d ms, readiness %d ms%n",
				this.longest503.toMillis(), jwksTook.toMillis(), readinessTook.toMillis());
		this.stepsPassed = 2;
	}

	@Test
	@Order(3)
	void whenTheDatabaseIsBackTheSameServerServesAgain() throws IOException {
		long started = System.nanoTime();
		this.postgres = startPostgres();
		Duration postgresStart = Duration.ofNanos(System.nanoTime() - started);
		long back = System.nanoTime();
		long deadline = back + Duration.ofSeconds(30).toNanos();
		TokenResponse response = null;
		while (System.nanoTime() < deadline) {
			response = new OidcClient(this.server.discover("staff"), "batch", "batch-secret-0123456789")
				.token(new ClientCredentialsGrant(), new Scope("reports.read"));
			if (response.indicatesSuccess()) {
				break;
			}
			ServerProcess.sleep(Duration.ofMillis(100));
		}
		Duration recovery = Duration.ofNanos(System.nanoTime() - back);
		assertThat(response).isNotNull();
		assertThat(response.indicatesSuccess()).as("a token within 30 s of PostgreSQL accepting again").isTrue();
		System.out.printf("[DatabaseOutageIT] PostgreSQL started again in %d ms; first token %d ms later%n",
				postgresStart.toMillis(), recovery.toMillis());
		assertThat(userInfo().statusCode()).isEqualTo(200);
		assertThat(get("/admin/api/realms/staff/audit-events?limit=1", bearer(this.adminToken)).statusCode())
			.isEqualTo(200);
		this.server.awaitReady(Duration.ofSeconds(10));
		this.stepsPassed = 3;
	}

	@Test
	@Order(4)
	void gracefulStopLetsTheRequestInFlightFinish() throws Exception {
		String body = "grant_type=client_credentials&scope=reports.read";
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.server.port())) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /realms/staff/oauth2/token HTTP/1.1\r\nHost: 127.0.0.1:" + this.server.port()
					+ "\r\nAuthorization: " + basic("batch", "batch-secret-0123456789")
					+ "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
					+ "\r\nConnection: close\r\n\r\n" + body.substring(0, 10)).getBytes(StandardCharsets.US_ASCII));
			out.flush();
			// the server is reading the body when SIGTERM comes
			ServerProcess.sleep(Duration.ofMillis(500));
			ProcessHandle.of(this.server.pid()).orElseThrow().destroy();
			ServerProcess.sleep(Duration.ofMillis(1500));
			assertThat(this.server.isAlive()).as("still finishing the request in flight").isTrue();
			out.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String answer = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
			assertThat(answer).as("the request in flight is answered").startsWith("HTTP/1.1 200").contains("access_token");
		}
		assertThat(this.server.awaitExit(Duration.ofSeconds(30))).as("exit status after SIGTERM").isIn(0, 143);
		this.stepsPassed = 4;
	}

	private EmbeddedPostgres startPostgres() throws IOException {
		// the same directory and port each time: the server's URL stays right
		return EmbeddedPostgres.builder()
			.setDataDirectory(this.dir.resolve("postgres"))
			.setCleanDataDirectory(false)
			.setPort(this.postgresPort)
			.start();
	}

	private String clientCredentials() {
		TokenResponse response = new OidcClient(this.server.discover("staff"), "batch", "batch-secret-0123456789")
			.token(new ClientCredentialsGrant(), new Scope("reports.read"));
		assertThat(response.indicatesSuccess()).isTrue();
		return ((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken().getValue();
	}

	private HttpResponse<String> userInfo() {
		return get("/realms/staff/userinfo", bearer(this.loginAccessToken));
	}

	/**
	 * 503 with Retry-After, within the bound: twice the connection timeout for a request that
	 * also found the signing keys due for re-reading (once a key refresh while it lasts).
	 */
	private void assertUnavailable(HttpResponse<String> response, String what) {
		record(response, what);
		assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).as(what + " Retry-After").hasValue("5");
		assertThat(this.lastTook).as(what + " waited at most the bound")
			.isLessThan(UNAVAILABLE_TIMEOUT.multipliedBy(2).plus(SLACK));
		this.longest503 = (this.lastTook.compareTo(this.longest503) > 0) ? this.lastTook : this.longest503;
	}

	private void record(HttpResponse<String> response, String what) {
		this.answers.add(what + " " + response.statusCode());
	}

	private static Map<String, String> bearer(String token) {
		return Map.of("Authorization", "Bearer " + token, "Accept", "application/json");
	}

	private static String basic(String client, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

	private HttpResponse<String> get(String path, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.server.uri(path)).GET();
		headers.forEach(request::header);
		return send(request);
	}

	private HttpResponse<String> post(String path, Map<String, String> headers, String form) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.server.uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		headers.forEach(request::header);
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		long started = System.nanoTime();
		try {
			return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new AssertionError(ex + ServerProcess.tail(this.server.log()), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		finally {
			this.lastTook = Duration.ofNanos(System.nanoTime() - started);
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		return in.readAllBytes();
	}

}
