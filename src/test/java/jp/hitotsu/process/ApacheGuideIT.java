package jp.hitotsu.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jp.hitotsu.support.Browserless;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * docs/integration/apache-mod-auth-openidc.md, run: the packaged server with the guide's
 * realm, and Debian's apache2 with libapache2-mod-auth-openidc including the guide's
 * {@code hitotsu-oidc.conf} as it is, with the guide's settings file whose marked values
 * name this test's ports, in front of an application that answers the headers it gets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApacheGuideIT {

	private static final Path EXAMPLES = Path.of("docs", "integration", "examples", "apache").toAbsolutePath();

	private static final Path APACHE = Path.of("/usr/sbin/apache2");

	private static final Path MODULES = Path.of("/usr/lib/apache2/modules");

	private static final String REALM = "guides-apache";

	/** The site's origin in the realm file, which this test replaces with its Apache's. */
	private static final String DOCUMENTED_ORIGIN = "http://127.0.0.1:8080";

	private static final String SECRET = "library-portal-secret-for-the-guide-test";

	/** The settings of hitotsu-oidc-settings.conf this test leaves as documented. */
	private static final Set<String> KEPT_SETTINGS = Set.of("HITOTSU_CLIENT_ID", "SITE_ROLE");

	private static final Pattern DEFINE = Pattern.compile("(?m)^Define (\\S+) .*$");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final AtomicInteger backendRequests = new AtomicInteger();

	private Path dir;

	private ServerProcess server;

	private HttpServer backend;

	private Process apache;

	private Path apacheLog;

	private Path accessLog;

	private String origin;

	@BeforeAll
	void start() throws IOException {
		for (Path needed : List.of(APACHE, MODULES.resolve("mod_auth_openidc.so"))) {
			if (!Files.exists(needed)) {
				fail(needed + " is missing: .ci/run installs Debian's apache2 and libapache2-mod-auth-openidc "
						+ "(apt-get install -y apache2 libapache2-mod-auth-openidc)");
			}
		}
		this.dir = Files.createTempDirectory("hitotsu-apache-it-");
		int apachePort = ServerProcess.freePort();
		this.origin = "http://127.0.0.1:" + apachePort;
		startBackend();

		String realm = Files.readString(ServerProcess.realmsDir().resolve(REALM + ".yaml"));
		assertThat(realm).contains(DOCUMENTED_ORIGIN);
		Path realms = Files.createDirectories(this.dir.resolve("realms"));
		Files.writeString(realms.resolve(REALM + ".yaml"), realm.replace(DOCUMENTED_ORIGIN, this.origin));
		this.server = ServerProcess.start("apache-guide", ServerProcess.freePort(),
				List.of("--hitotsu.data-dir=" + this.dir.resolve("data"), "--hitotsu.realms-dir=" + realms,
						"--hitotsu.logout.send-interval=200ms"));

		startApache(apachePort);
	}

	@AfterAll
	void stop() {
		try {
			if (this.apache != null) {
				this.apache.destroy();
				if (!this.apache.waitFor(20, TimeUnit.SECONDS)) {
					this.apache.destroyForcibly();
				}
			}
			if (this.backend != null) {
				this.backend.stop(0);
			}
			if (this.server != null) {
				this.server.stop();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			if (this.dir != null) {
				ServerProcess.cleanUp(this.dir);
			}
		}
	}

	@Test
	void personWithTheRoleReachesTheApplicationWhichGetsHerClaimsAsHeaders() {
		Visit visit = login("yamada", "yamada-guide-test-pass");
		HttpResponse<String> page = visit.browser.get(site("/books?shelf=3"));
		assertThat(page.statusCode()).as(this::apacheLogTail).isEqualTo(200);
		Map<String, String> headers = headers(page);
		assertThat(headers).containsEntry("x-remote-user", "yamada")
			.containsEntry("oidc_claim_preferred_username", "yamada")
			.containsEntry("oidc_claim_name", "山田 花子")
			.containsEntry("oidc_claim_family_name", "山田")
			.containsEntry("oidc_claim_email", "yamada@example.test")
			// the client's roles only: mail-user is not the library's business
			.containsEntry("oidc_claim_roles", "library-staff")
			.containsEntry("oidc_claim_iss", this.server.base() + "/realms/" + REALM);
		assertThat(headers.get("oidc_claim_sub")).as("the person's stable id").isNotBlank().isNotEqualTo("yamada");
		assertThat(headers.get("oidc_access_token")).as("for calls on the person's behalf").startsWith("eyJ");
	}

	@Test
	void requestWithoutLoginIsSentToTheRealmWithPkceAndNeverReachesTheApplication() {
		int before = this.backendRequests.get();
		HttpResponse<String> response = new Browserless().get(site("/books"));
		assertThat(response.statusCode()).isEqualTo(302);
		URI authorize = Browserless.location(response);
		assertThat(authorize.toString()).startsWith(this.server.base() + "/realms/" + REALM + "/oauth2/authorize?")
			.contains("client_id=library-portal")
			.contains("code_challenge_method=S256")
			.contains("redirect_uri=" + URLEncoder.encode(this.origin + "/oidc/redirect_uri", StandardCharsets.UTF_8));
		assertThat(this.backendRequests.get()).isEqualTo(before);
	}

	@Test
	void personWithoutTheRoleIsForbidden() {
		int before = this.backendRequests.get();
		Visit visit = login("kimura", "kimura-guide-test-pass");
		HttpResponse<String> page = visit.browser.get(site("/books?shelf=3"));
		assertThat(page.statusCode()).isEqualTo(403);
		assertThat(this.backendRequests.get()).isEqualTo(before);
	}

	@Test
	void claimHeadersSentByTheBrowserNeverReachTheApplication() {
		Visit visit = login("yamada", "yamada-guide-test-pass");
		HttpResponse<String> page = send(HttpRequest.newBuilder(site("/books"))
			.header("Cookie", visit.sessionCookie)
			.header("OIDC_CLAIM_roles", "library-admin")
			.header("OIDC_CLAIM_forged", "forged")
			.header("X-Remote-User", "someone-else"));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(headers(page)).containsEntry("oidc_claim_roles", "library-staff")
			.containsEntry("x-remote-user", "yamada")
			.doesNotContainKey("oidc_claim_forged");
	}

	@Test
	void logoutThroughTheRedirectUriEndsTheSiteSessionAndTheLoginToTheRealm() {
		Visit visit = login("yamada", "yamada-guide-test-pass");
		long acceptedBefore = acceptedLogoutTokens();
		String back = URLEncoder.encode(this.origin + "/", StandardCharsets.UTF_8);
		HttpResponse<String> toRealm = visit.browser.get(site("/oidc/redirect_uri?logout=" + back));
		assertThat(toRealm.statusCode()).as(this::apacheLogTail).isEqualTo(302);
		URI endSession = Browserless.location(toRealm);
		assertThat(endSession.getPath()).isEqualTo("/realms/" + REALM + "/connect/logout");
		assertThat(endSession.getRawQuery()).contains("id_token_hint=").contains("post_logout_redirect_uri=" + back);

		HttpResponse<String> loggedOut = visit.browser.get(endSession);
		assertThat(loggedOut.statusCode()).as(loggedOut::body).isEqualTo(302);
		assertThat(Browserless.location(loggedOut)).isEqualTo(site("/"));
		// the site asks the realm again, and the realm asks for the password again
		HttpResponse<String> again = visit.browser.get(site("/"));
		assertThat(again.statusCode()).isEqualTo(302);
		HttpResponse<String> toLogin = visit.browser.get(Browserless.location(again));
		assertThat(Browserless.location(toLogin).getPath()).isEqualTo("/realms/" + REALM + "/login");
		// the old session cookie, kept by someone, opens nothing: the session is gone from the
		// server (a call that is not a browser's gets 401 rather than a redirect to the realm)
		assertThat(send(HttpRequest.newBuilder(site("/books")).header("Cookie", visit.sessionCookie)).statusCode())
			.isEqualTo(401);
		// Hitotsu's logout token for the session the site already ended finds nothing to end
		// and is still accepted (a 4xx would make Hitotsu record it as rejected)
		awaitAcceptedLogoutToken(acceptedBefore);
	}

	@Test
	void logoutAtTheRealmReachesTheSiteThroughTheBackChannel() {
		Visit visit = login("yamada", "yamada-guide-test-pass");
		HttpRequest.Builder withCookie = HttpRequest.newBuilder(site("/books")).header("Cookie", visit.sessionCookie);
		assertThat(send(withCookie).statusCode()).isEqualTo(200);
		long acceptedBefore = acceptedLogoutTokens();

		// the person logs out at Hitotsu (its login page's button), not at the site
		HttpResponse<String> realmPage = visit.browser.get(this.server.uri("/realms/" + REALM + "/login"));
		HttpResponse<String> loggedOut = visit.browser.submit(realmPage, "div.notice form", Map.of());
		assertThat(loggedOut.statusCode()).isEqualTo(302);

		awaitAcceptedLogoutToken(acceptedBefore);
		// the session is gone (a call that is not a browser's gets 401 rather than a redirect)
		assertThat(send(withCookie).statusCode()).isEqualTo(401);
	}

	/**
	 * Waits for the site to answer one more logout token with 200 (Hitotsu sends them in the
	 * background; a 4xx would make it record the token as rejected). Each test that ends a
	 * login waits for its token, so that the next one counts only its own.
	 */
	private void awaitAcceptedLogoutToken(long acceptedBefore) {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (acceptedLogoutTokens() == acceptedBefore && System.nanoTime() < deadline) {
			ServerProcess.sleep(Duration.ofMillis(100));
		}
		assertThat(acceptedLogoutTokens()).as(() -> "logout tokens answered 200" + ServerProcess.tail(this.accessLog)
				+ apacheLogTail()).isEqualTo(acceptedBefore + 1);
	}

	/** Logout tokens the site answered with 200, as its access log says. */
	private long acceptedLogoutTokens() {
		try {
			return Files.readAllLines(this.accessLog)
				.stream()
				.filter("POST /oidc/redirect_uri?logout=backchannel 200"::equals)
				.count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** One browser that logged in through the site, and the module's session cookie it holds. */
	private record Visit(Browserless browser, String sessionCookie) {
	}

	private Visit login(String username, String password) {
		Browserless browser = new Browserless().language("en");
		HttpResponse<String> toRealm = browser.get(site("/books?shelf=3"));
		assertThat(toRealm.statusCode()).as(this::apacheLogTail).isEqualTo(302);
		URI callback = browser.authorize(Browserless.location(toRealm), username, password);
		assertThat(callback.getPath()).isEqualTo("/oidc/redirect_uri");
		HttpResponse<String> back = browser.get(callback);
		assertThat(back.statusCode()).as(() -> back.body() + apacheLogTail()).isEqualTo(302);
		assertThat(Browserless.location(back)).as("back where the person was going").isEqualTo(site("/books?shelf=3"));
		String cookie = back.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((header) -> header.startsWith("mod_auth_openidc_session="))
			.map((header) -> header.substring(0, header.indexOf(';')))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no session cookie from the site: " + back.headers()));
		return new Visit(browser, cookie);
	}

	/** The request headers the application received, named in lower case, values read as UTF-8. */
	private static Map<String, String> headers(HttpResponse<String> page) {
		Map<String, String> headers = new TreeMap<>();
		JSON.readTree(page.body()).properties().forEach((field) -> headers.put(field.getKey(), field.getValue().stringValue()));
		return headers;
	}

	private URI site(String path) {
		return URI.create(this.origin + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * The application behind Apache: answers the request's headers as JSON. Apache passes
	 * the claims' UTF-8 bytes as they are, which the JDK's server reads as ISO-8859-1 (as
	 * servlet containers do): they are read back as UTF-8 here, as an application must.
	 */
	private void startBackend() throws IOException {
		this.backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.backend.createContext("/", (exchange) -> {
			this.backendRequests.incrementAndGet();
			Map<String, String> received = new LinkedHashMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> received.put(name.toLowerCase(java.util.Locale.ROOT),
					new String(String.join(",", values).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)));
			answer(exchange, JSON.writeValueAsBytes(received));
		});
		this.backend.start();
	}

	private static void answer(HttpExchange exchange, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	/**
	 * Apache in the foreground with a configuration of its own in the test's folder, which
	 * includes the guide's two files.
	 */
	private void startApache(int port) throws IOException {
		Path settings = this.dir.resolve("hitotsu-oidc-settings.conf");
		Files.writeString(settings, settings(Map.of("HITOTSU_ISSUER", this.server.base() + "/realms/" + REALM,
				"HITOTSU_CLIENT_SECRET", SECRET, "SITE_ORIGIN", this.origin, "OIDC_PASSPHRASE",
				"apache-guide-test-passphrase-0123456789", "SITE_BACKEND",
				"http://127.0.0.1:" + this.backend.getAddress().getPort() + "/")));
		Path logs = Files.createDirectories(Path.of("target", "process-logs").toAbsolutePath());
		this.apacheLog = logs.resolve("apache-guide-httpd.log");
		this.accessLog = logs.resolve("apache-guide-access.log");
		Files.deleteIfExists(this.apacheLog);
		Files.deleteIfExists(this.accessLog);
		List<String> config = new ArrayList<>(List.of("ServerRoot " + this.dir, "ServerName 127.0.0.1",
				"Listen 127.0.0.1:" + port, "PidFile " + this.dir.resolve("httpd.pid"),
				"DefaultRuntimeDir " + this.dir, "ErrorLog " + this.apacheLog, "LogLevel warn auth_openidc:info",
				"CustomLog " + this.accessLog + " \"%m %U%q %>s\""));
		// as root (CI), Apache's workers must become another user; they read nothing of the
		// test's folder, which stays the root's alone
		if ("root".equals(System.getProperty("user.name"))) {
			config.add("User www-data");
			config.add("Group www-data");
		}
		for (String module : List.of("mpm_event", "authn_core", "authz_core", "authz_user", "proxy", "proxy_http", "auth_openidc")) {
			config.add("LoadModule " + module + "_module " + MODULES.resolve("mod_" + module + ".so"));
		}
		config.add("Include " + settings);
		config.add("Include " + EXAMPLES.resolve("hitotsu-oidc.conf"));
		Path httpdConf = this.dir.resolve("httpd.conf");
		Files.write(httpdConf, config);

		this.apache = new ProcessBuilder(APACHE.toString(), "-f", httpdConf.toString(), "-DFOREGROUND")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.apacheLog.toFile()))
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.apache.isAlive()) {
				fail("apache2 exited with status " + this.apache.exitValue() + apacheLogTail());
			}
			try {
				this.http.send(HttpRequest.newBuilder(site("/")).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding());
				return;
			}
			catch (IOException notListeningYet) {
				ServerProcess.sleep(Duration.ofMillis(100));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
		fail("apache2 did not answer within 20 s" + apacheLogTail());
	}

	/**
	 * The guide's settings file with this test's values in place of the documented ones:
	 * every value it marks must be one this test sets or knows to keep.
	 */
	private static String settings(Map<String, String> values) throws IOException {
		String documented = Files.readString(EXAMPLES.resolve("hitotsu-oidc-settings.conf"));
		StringBuilder result = new StringBuilder();
		Matcher define = DEFINE.matcher(documented);
		List<String> names = new ArrayList<>();
		while (define.find()) {
			String name = define.group(1);
			names.add(name);
			assertThat(values.containsKey(name) || KEPT_SETTINGS.contains(name))
				.as("setting %s of hitotsu-oidc-settings.conf is unknown to this test", name)
				.isTrue();
			String line = values.containsKey(name) ? "Define " + name + " \"" + values.get(name) + "\"" : define.group();
			define.appendReplacement(result, Matcher.quoteReplacement(line));
		}
		define.appendTail(result);
		assertThat(names).containsAll(values.keySet()).containsAll(KEPT_SETTINGS);
		return result.toString();
	}

	private String apacheLogTail() {
		return ServerProcess.tail(this.apacheLog);
	}

}
