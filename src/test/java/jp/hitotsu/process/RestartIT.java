package jp.hitotsu.process;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The packaged server on its embedded default (PostgreSQL in the data directory, master
 * key generated beside it) keeps everything across restarts: after a graceful stop,
 * after {@code kill -9} of the JVM, and across an offline key rotation. One data
 * directory and one port for the whole class, as an operator's server keeps its address:
 * the issuer names the port, so tokens issued before a restart name the same issuer.
 *
 * <p>
 * The steps build on each other and run in order; a step is skipped when an earlier one
 * failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartIT {

	private static final URI WEB_APP_CALLBACK = URI.create("https://app.example.test/callback");

	private static final String REALM = "staff";

	private Path dataDir;

	private Path realms;

	private int port;

	private ServerProcess server;

	private int stepsPassed;

	// what a client and a resource server hold across the restarts

	private String clientCredentialsToken;

	private String loginAccessToken;

	private JWT idToken;

	private Nonce nonce;

	private RefreshToken refreshToken;

	private Set<String> kidsAtFirstStart;

	@BeforeAll
	void createDataDir() throws IOException {
		this.dataDir = Files.createTempDirectory("hitotsu-restart-it-");
		this.realms = ServerProcess.testRealms(this.dataDir, REALM);
		this.port = ServerProcess.freePort();
	}

	@BeforeEach
	void earlierStepsPassed(TestInfo test) {
		int order = test.getTestMethod().orElseThrow().getAnnotation(Order.class).value();
		assumeThat(this.stepsPassed).as("an earlier step failed").isEqualTo(order - 1);
	}

	@AfterAll
	void stopServerAndRemoveData() {
		try {
			if (this.server != null) {
				this.server.stop();
			}
		}
		finally {
			// a graceful stop leaves no PostgreSQL behind; anything found here is a bug
			List<Long> leftovers = ServerProcess.cleanUp(this.dataDir);
			assertThat(leftovers).as("PostgreSQL processes still running on " + this.dataDir + " at the end")
				.isEmpty();
		}
	}

	@Test
	@Order(1)
	void gracefulRestartKeepsKeysTokensAndGrants() throws Exception {
		this.server = start("first-start");
		OidcClient batch = batch();
		OidcClient webApp = webApp();

		this.clientCredentialsToken = clientCredentials(batch);
		OidcClient.Authorization authorization = webApp.authorization(WEB_APP_CALLBACK, "openid profile");
		URI callback = new Browserless().authorize(authorization.uri(), "tanaka", "tanaka-test-pass");
		OIDCTokenResponse tokens = webApp.exchange(callback, authorization);
		this.loginAccessToken = tokens.getOIDCTokens().getAccessToken().getValue();
		this.idToken = tokens.getOIDCTokens().getIDToken();
		this.nonce = authorization.nonce();
		this.refreshToken = tokens.getOIDCTokens().getRefreshToken();
		assertThat(this.refreshToken).as("web-app is given a refresh token").isNotNull();
		this.kidsAtFirstStart = kids();
		assertThat(this.kidsAtFirstStart).as("an RS256 and an ES256 key").hasSize(2);

		assertThat(this.server.stop()).as("exit status after SIGTERM").isIn(0, 143);
		assertThat(this.server.logText()).contains("Embedded PostgreSQL stopped");
		awaitNoPostgres("after a graceful stop");

		this.server = start("after-graceful-stop");
		assertThat(kids()).as("JWKS after restart").isEqualTo(this.kidsAtFirstStart);
		assertTokensOfFirstStartVerify();
		refreshStillWorks();
		this.stepsPassed = 1;
	}

	@Test
	@Order(2)
	void secondServerOnTheSameDataDirFailsFastAndHarmsNothing() throws Exception {
		Path postgresDir = this.dataDir.resolve("internet").resolve("postgres");
		String postmasterPid = Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0);

		long started = System.nanoTime();
		ServerProcess intruder = ServerProcess.launch("restart-second-on-same-data-dir", ServerProcess.freePort(),
				serverArguments());
		int status;
		try {
			status = intruder.awaitExit(ServerProcess.START_TIMEOUT);
		}
		finally {
			intruder.stop();
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(status).as("exit status of the second server").isNotZero();
		assertThat(intruder.logText()).as("its log names the reason and the directory")
			.contains("is in use by another running Hitotsu process")
			.contains(postgresDir.toAbsolutePath().toString());
		assertThat(took).as("it fails at the database, before a web server would be up")
			.isLessThan(Duration.ofSeconds(60));

		assertThat(Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0))
			.as("the running server's PostgreSQL is still the owner")
			.isEqualTo(postmasterPid);
		this.server.awaitReady(Duration.ofSeconds(5));
		assertThat(kids()).isEqualTo(this.kidsAtFirstStart);
		assertTokensOfFirstStartVerify();
		refreshStillWorks();
		this.stepsPassed = 2;
	}

	@Test
	@Order(3)
	void killMinus9LeavesPostgresOrphanedAndTheNextStartRecovers() throws Exception {
		long orphanPid = Long.parseLong(Files
			.readAllLines(this.dataDir.resolve("internet").resolve("postgres").resolve("postmaster.pid"))
			.get(0)
			.trim());

		this.server.kill();
		assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive))
			.as("the JVM's PostgreSQL outlives kill -9 (what this step is about)")
			.contains(true);

		this.server = start("after-kill-9");
		assertThat(this.server.logText()).as("the new server says what it found")
			.contains("left behind by a process that died");
		assertThat(ServerProcess.postgresProcessesUnder(this.dataDir).stream().map(ProcessHandle::pid))
			.as("only the new server's PostgreSQL runs")
			.doesNotContain(orphanPid)
			.hasSize(1);
		assertThat(kids()).isEqualTo(this.kidsAtFirstStart);
		assertTokensOfFirstStartVerify();
		refreshStillWorks();
		this.stepsPassed = 3;
	}

	@Test
	@Order(4)
	void offlineKeyRotationKeepsOldKeysPublishedAndSignsWithNewOnes() throws Exception {
		assertThat(this.server.stop()).isIn(0, 143);
		awaitNoPostgres("after a graceful stop");

		ServerProcess.Result rotation = ServerProcess.run("restart-rotate-keys-staff",
				// no server runs that must publish the new keys before they sign
				List.of("rotate-keys", REALM, "--hitotsu.data-dir=" + this.dataDir,
						"--hitotsu.realms-dir=" + this.realms, "--hitotsu.keys.activation-delay=0s"),
				ServerProcess.START_TIMEOUT);
		assertThat(rotation.exitCode()).as(rotation::describe).isZero();
		Matcher printed = Pattern.compile("Published new signing keys for realm 'staff': \\[(.*)]; they sign from ")
			.matcher(rotation.output());
		assertThat(printed.find()).as(rotation::describe).isTrue();
		Set<String> newKids = Arrays.stream(printed.group(1).split(",\\s*")).collect(Collectors.toSet());
		assertThat(newKids).hasSize(2).doesNotContainAnyElementsOf(this.kidsAtFirstStart);
		awaitNoPostgres("after rotate-keys exited");

		this.server = start("after-rotation");
		List<String> both = new ArrayList<>(this.kidsAtFirstStart);
		both.addAll(newKids);
		assertThat(kids()).as("JWKS lists retired and new keys").containsExactlyInAnyOrderElementsOf(both);
		assertTokensOfFirstStartVerify();

		String newToken = clientCredentials(batch());
		assertThat(kid(newToken)).as("a token issued after rotation is signed with a new key").isIn(newKids);
		assertThat(batch().verifyAccessToken(newToken).getStringClaim("client_id")).isEqualTo("batch");

		AccessTokenResponse refreshed = refreshStillWorks();
		assertThat(kid(refreshed.getTokens().getAccessToken().getValue())).isIn(newKids);
		this.stepsPassed = 4;
	}

	@Test
	@Order(5)
	void auditTrailOfTheseRunsVerifiesOfflineAgainstItsExportedCheckpoint() throws Exception {
		assertThat(this.server.stop()).isIn(0, 143);
		this.server = null;
		awaitNoPostgres("after a graceful stop");
		List<String> options = List.of("--hitotsu.data-dir=" + this.dataDir,
				"--hitotsu.realms-dir=" + this.realms);

		List<String> export = new ArrayList<>(List.of("export-audit-checkpoint", REALM));
		export.addAll(options);
		ServerProcess.Result exported = ServerProcess.run("restart-export-audit-checkpoint", export,
				ServerProcess.START_TIMEOUT);
		assertThat(exported.exitCode()).as(exported::describe).isZero();
		Matcher jws = Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", Pattern.MULTILINE)
			.matcher(exported.output());
		assertThat(jws.find()).as(exported::describe).isTrue();
		Path checkpoint = this.dataDir.resolve("staff-checkpoint.jws");
		Files.writeString(checkpoint, jws.group());
		awaitNoPostgres("after export-audit-checkpoint exited");

		List<String> verify = new ArrayList<>(List.of("verify-audit", REALM, checkpoint.toString()));
		verify.addAll(options);
		ServerProcess.Result verified = ServerProcess.run("restart-verify-audit", verify, ServerProcess.START_TIMEOUT);
		assertThat(verified.exitCode()).as(verified::describe).isZero();
		assertThat(verified.output()).as("the logins, tokens and key rotation of the steps before are chained")
			.containsPattern("Audit chain of realm 'staff': [1-9][0-9]* links checked")
			.contains("intact");
		awaitNoPostgres("after verify-audit exited");
		this.stepsPassed = 5;
	}

	private ServerProcess start(String name) {
		return ServerProcess.start("restart-" + name, this.port, serverArguments());
	}

	private List<String> serverArguments() {
		return List.of("--hitotsu.data-dir=" + this.dataDir, "--hitotsu.realms-dir=" + this.realms);
	}

	private OidcClient webApp() {
		return new OidcClient(this.server.discover(REALM), "web-app", "web-app-secret-0123456789");
	}

	private OidcClient batch() {
		return new OidcClient(this.server.discover(REALM), "batch", "batch-secret-0123456789");
	}

	private Set<String> kids() throws Exception {
		URI jwks = this.server.discover(REALM).getJWKSetURI();
		return JWKSet.load(jwks.toURL(), 5000, 30000, 1 << 20)
			.getKeys()
			.stream()
			.map(JWK::getKeyID)
			.collect(Collectors.toSet());
	}

	private static String kid(String jwt) throws java.text.ParseException {
		return SignedJWT.parse(jwt).getHeader().getKeyID();
	}

	private static String clientCredentials(OidcClient batch) {
		TokenResponse response = batch.token(new ClientCredentialsGrant(), new Scope("reports.read"));
		assertThat(response.indicatesSuccess()).as(() -> "client credentials: "
				+ (response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()))
			.isTrue();
		return ((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken().getValue();
	}

	private void assertTokensOfFirstStartVerify() throws Exception {
		OidcClient webApp = webApp();
		JWTClaimsSet cc = batch().verifyAccessToken(this.clientCredentialsToken);
		assertThat(cc.getStringClaim("client_id")).isEqualTo("batch");
		JWTClaimsSet access = webApp.verifyAccessToken(this.loginAccessToken);
		JWTClaimsSet id = webApp.verifyIdToken(this.idToken, this.nonce);
		assertThat(access.getSubject()).isEqualTo(id.getSubject());
		assertThat(id.getStringClaim("preferred_username")).isEqualTo("tanaka");
	}

	/** Refreshes with the latest refresh token (they rotate) and checks the new tokens. */
	private AccessTokenResponse refreshStillWorks() throws Exception {
		OidcClient webApp = webApp();
		TokenResponse response = webApp.refresh(this.refreshToken);
		assertThat(response.indicatesSuccess()).as(() -> "refresh at " + this.server + ": "
				+ (response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()))
			.isTrue();
		AccessTokenResponse tokens = (AccessTokenResponse) response.toSuccessResponse();
		if (tokens.getTokens().getRefreshToken() != null) {
			this.refreshToken = tokens.getTokens().getRefreshToken();
		}
		JWTClaimsSet access = webApp.verifyAccessToken(tokens.getTokens().getAccessToken().getValue());
		assertThat(access.getStringClaim("client_id")).isEqualTo("web-app");
		return tokens;
	}

	private void awaitNoPostgres(String when) {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (!ServerProcess.postgresProcessesUnder(this.dataDir).isEmpty() && System.nanoTime() < deadline) {
			ServerProcess.sleep(Duration.ofMillis(200));
		}
		assertThat(ServerProcess.postgresProcessesUnder(this.dataDir).stream().map(ProcessHandle::pid))
			.as("PostgreSQL processes on " + this.dataDir + " " + when)
			.isEmpty();
	}

}
