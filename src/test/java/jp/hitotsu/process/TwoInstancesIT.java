package jp.hitotsu.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jp.hitotsu.cluster.ClusterLock;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.DPoPKeys;
import jp.hitotsu.support.OidcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static jp.hitotsu.process.ReplicaSet.awaitWithin;
import static jp.hitotsu.process.ReplicaSet.jwks;
import static jp.hitotsu.process.ReplicaSet.kidOf;
import static jp.hitotsu.process.ReplicaSet.kids;
import static jp.hitotsu.process.ReplicaSet.on;
import static jp.hitotsu.process.ReplicaSet.withJwksOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server processes on one external PostgreSQL with the same master key, as replicas
 * behind a load balancer: signing keys, browser sessions, authorization codes and grants
 * live in the database, so any instance continues what another began.
 *
 * <p>
 * The issuer is taken from the request's host and port, so a token names the instance
 * that issued it (behind a real load balancer both share one public address). Tokens are
 * therefore verified against the issuer of the instance they were requested from, with
 * the other instance's JWKS.
 *
 * <p>
 * Both instances re-read keys, realms and clients only every 10 minutes and keep an access
 * token's grant for 30 s: what one learns of a change made elsewhere within 2 s it learnt
 * through the PostgreSQL notifications.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesIT {

	private static final URI WEB_APP_CALLBACK = URI.create("https://app.example.test/callback");

	private static final String REALM = "staff";

	private ReplicaSet replicas;

	private ServerProcess a;

	private ServerProcess b;

	@BeforeAll
	void startDatabaseAndServers() {
		// no periodic refresh within a test: only notifications can carry a change in time;
		// both at once on the new database, as replicas of a first deployment start: each
		// provisions the realms (keys, accounts, clients) and neither may trip on the other
		this.replicas = ReplicaSet.start(List.of("two-instances-a", "two-instances-b"),
				List.of(REALM, "citizen", "guarded", "quick-links"),
				List.of("--hitotsu.keys.cache-refresh=10m", "--hitotsu.cache.refresh=10m",
						"--hitotsu.grants.token-cache-ttl=30s",
						// as behind a load balancer: a request may say which public address it was sent to
						"--server.forward-headers-strategy=framework"));
		this.a = this.replicas.get(0);
		this.b = this.replicas.get(1);
	}

	@AfterAll
	void stopServersAndDatabase() {
		if (this.replicas != null) {
			this.replicas.close();
		}
	}

	@Test
	void loginBegunOnAIsCompletedOnBAndTheCodeRedeemedOnA() throws Exception {
		OidcClient clientAtA = webApp(this.a);
		OidcClient.Authorization authorization = clientAtA.authorization(WEB_APP_CALLBACK, "openid profile email");
		SharedOriginBrowser browser = new SharedOriginBrowser();

		HttpResponse<String> toLogin = browser.get(authorization.uri());
		assertThat(toLogin.statusCode()).as("A sends the browser to its login page").isEqualTo(302);
		URI loginPage = SharedOriginBrowser.location(toLogin);
		assertThat(loginPage.getPort()).isEqualTo(this.a.port());
		assertThat(loginPage.getPath()).isEqualTo("/realms/staff/login");
		assertThat(browser.cookies()).containsKey("HITOTSU_SESSION");

		// the form (with its CSRF token) comes from A, and is posted to B
		Browserless.FilledForm form = Browserless.fillLogin(browser.get(loginPage), "tanaka", "tanaka-test-pass");
		HttpResponse<String> afterLogin = browser.post(on(this.b, form.action()), form.fields());
		assertThat(afterLogin.statusCode()).as("B accepts the login A began (session from the database)")
			.isEqualTo(302);
		URI resume = SharedOriginBrowser.location(afterLogin);
		assertThat(resume.getPath()).as("B resumes the authorization request saved on A")
			.isEqualTo("/realms/staff/oauth2/authorize");
		assertThat(resume.getQuery()).contains("client_id=web-app").contains("state=" + authorization.state());

		HttpResponse<String> authorized = browser.get(on(this.b, resume));
		assertThat(authorized.statusCode()).as("B answers the authorization request").isEqualTo(302);
		URI callback = SharedOriginBrowser.location(authorized);
		assertThat(callback.toString()).startsWith(WEB_APP_CALLBACK + "?").contains("code=");

		OIDCTokenResponse tokens = clientAtA.exchange(callback, authorization);

		OidcClient verifierWithJwksOfB = new OidcClient(withJwksOf(this.a.discover(REALM), this.b), "web-app",
				"web-app-secret-0123456789");
		JWTClaimsSet id = verifierWithJwksOfB.verifyIdToken(tokens.getOIDCTokens().getIDToken(),
				authorization.nonce());
		assertThat(id.getIssuer()).isEqualTo(this.a.issuer(REALM).getValue());
		assertThat(id.getStringClaim("preferred_username")).isEqualTo("tanaka");
		JWTClaimsSet access = verifierWithJwksOfB.verifyAccessToken(tokens.getOIDCTokens().getAccessToken().getValue());
		assertThat(access.getSubject()).isEqualTo(id.getSubject());

		OidcClient clientAtB = webApp(this.b);
		TokenIntrospectionSuccessResponse introspection = introspect(clientAtB,
				tokens.getOIDCTokens().getAccessToken());
		assertThat(introspection.isActive()).as("A's access token introspected at B").isTrue();
		assertThat(introspection.getClientID().getValue()).isEqualTo("web-app");
		assertThat(introspection.getSubject().getValue()).isEqualTo(id.getSubject());

		TokenResponse refreshed = clientAtB.refresh(tokens.getOIDCTokens().getRefreshToken());
		assertThat(refreshed.indicatesSuccess()).as(() -> "A's refresh token refreshes at B: "
				+ (refreshed.indicatesSuccess() ? "" : refreshed.toErrorResponse().getErrorObject().toJSONObject()))
			.isTrue();
		OidcClient verifierWithJwksOfA = new OidcClient(withJwksOf(this.b.discover(REALM), this.a), "web-app",
				"web-app-secret-0123456789");
		JWTClaimsSet refreshedAccess = verifierWithJwksOfA.verifyAccessToken(
				((AccessTokenResponse) refreshed.toSuccessResponse()).getTokens().getAccessToken().getValue());
		assertThat(refreshedAccess.getIssuer()).isEqualTo(this.b.issuer(REALM).getValue());
		assertThat(refreshedAccess.getSubject()).isEqualTo(id.getSubject());
	}

	@Test
	void bothInstancesPublishTheSameKeysAndHonourEachOthersTokens() throws Exception {
		assertThat(jwks(this.b, REALM).toString()).as("one JWKS for the realm, whichever instance serves it")
			.isEqualTo(jwks(this.a, REALM).toString());
		assertThat(jwks(this.a, REALM).getKeys()).hasSize(2);

		OidcClient batchAtA = new OidcClient(this.a.discover(REALM), "batch", "batch-secret-0123456789");
		TokenResponse response = batchAtA.token(new ClientCredentialsGrant(), new Scope("reports.read"));
		assertThat(response.indicatesSuccess()).isTrue();
		AccessToken token = ((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken();

		OidcClient verifierWithJwksOfB = new OidcClient(withJwksOf(this.a.discover(REALM), this.b), "batch",
				"batch-secret-0123456789");
		assertThat(verifierWithJwksOfB.verifyAccessToken(token.getValue()).getStringClaim("client_id"))
			.isEqualTo("batch");
		OidcClient batchAtB = new OidcClient(this.b.discover(REALM), "batch", "batch-secret-0123456789");
		TokenIntrospectionSuccessResponse introspection = introspect(batchAtB, token);
		assertThat(introspection.isActive()).as("A's client credentials token introspected at B").isTrue();
		assertThat(introspection.getScope()).isEqualTo(new Scope("reports.read"));
	}

	@Test
	void dpopProofUsedAtAIsRefusedAtB() throws Exception {
		OidcClient batchAtA = new OidcClient(this.a.discover(REALM), "batch", "batch-secret-0123456789");
		DefaultDPoPProofFactory proofs = DPoPKeys.proofs(DPoPKeys.newKey());
		URI tokenEndpointOfA = batchAtA.provider().getTokenEndpointURI();
		// B answers as A's public address would: the proof's htu (A's token endpoint) matches there too
		SignedJWT fresh = proofs.createDPoPJWT("POST", tokenEndpointOfA);
		assertThat(tokenRequestAtBForA(fresh).indicatesSuccess()).as("a fresh proof for A's address, at B")
			.isTrue();

		SignedJWT proof = proofs.createDPoPJWT("POST", tokenEndpointOfA);
		HTTPRequest atA = new TokenRequest(tokenEndpointOfA,
				new ClientSecretBasic(new ClientID("batch"), new Secret("batch-secret-0123456789")),
				new ClientCredentialsGrant(), new Scope("reports.read"))
			.toHTTPRequest();
		atA.setDPoP(proof);
		assertThat(OIDCTokenResponseParser.parse(atA.send()).indicatesSuccess()).isTrue();
		TokenResponse replayedAtB = tokenRequestAtBForA(proof);
		assertThat(replayedAtB.indicatesSuccess()).as("the same proof again, at the other replica").isFalse();
		assertThat(replayedAtB.toErrorResponse().getErrorObject().getDescription()).contains("already used");
	}

	private TokenResponse tokenRequestAtBForA(SignedJWT proof) throws Exception {
		HTTPRequest request = new TokenRequest(this.b.uri("/realms/" + REALM + "/oauth2/token"),
				new ClientSecretBasic(new ClientID("batch"), new Secret("batch-secret-0123456789")),
				new ClientCredentialsGrant(), new Scope("reports.read"))
			.toHTTPRequest();
		request.setHeader("X-Forwarded-Host", "127.0.0.1:" + this.a.port());
		request.setDPoP(proof);
		return OIDCTokenResponseParser.parse(request.send());
	}

	@Test
	void failuresOnAAreCountedOnB() {
		String realm = "guarded";
		String username = "lockout-two-instances";
		String password = "lockout-two-instances-test-pass";
		assertThat(login(this.b, realm, username, password)).as("B accepts the right password").isEqualTo(302);
		for (int attempt = 1; attempt <= 3; attempt++) {
			assertThat(login(this.a, realm, username, "wrong-" + attempt)).isEqualTo(401);
		}
		// the realm delays attempts by 2 s after 3 failures, doubling, and locks after 4
		assertThat(login(this.b, realm, username, password)).as("B enforces the delay after A's failures")
			.isEqualTo(401);
		ServerProcess.sleep(Duration.ofMillis(2100));
		assertThat(login(this.a, realm, username, "wrong-4")).isEqualTo(401);
		ServerProcess.sleep(Duration.ofMillis(4100));
		assertThat(login(this.b, realm, username, password)).as("B enforces the lock A set, past any delay")
			.isEqualTo(401);
	}

	@Test
	void keyRotatedByAnotherProcessIsInBothJwksWithinTwoSecondsAndSignsOnlyOnceBothPublishIt() throws Exception {
		String realm = "citizen";
		OidcClient portalAtA = new OidcClient(this.a.discover(realm), "portal", "portal-secret-0123456789");
		OidcClient portalAtB = new OidcClient(this.b.discover(realm), "portal", "portal-secret-0123456789");
		Set<String> kidsBefore = kids(jwks(this.a, realm));
		assertThat(kids(jwks(this.b, realm))).isEqualTo(kidsBefore);
		String signingBefore = kidOf(clientCredentials(portalAtB));

		ServerProcess.Result rotation = rotateKeys(realm, "8s", this.replicas.realmsDir());
		Instant exited = Instant.now();
		Matcher announced = Pattern.compile("Published new signing keys for realm '" + realm
				+ "': \\[(.+)]; they sign from (\\S+)").matcher(rotation.output());
		assertThat(announced.find()).as(rotation::describe).isTrue();
		Set<String> newKids = Set.of(announced.group(1).split(",\\s*"));
		Instant activatesAt = Instant.parse(announced.group(2));
		assertThat(activatesAt).as("the test needs time before the new keys sign").isAfter(exited.plusSeconds(2));

		awaitWithin(Duration.ofSeconds(2), "both instances publish the new keys",
				() -> kids(jwks(this.a, realm)).containsAll(newKids) && kids(jwks(this.b, realm)).containsAll(newKids));
		assertThat(Duration.between(exited, Instant.now())).isLessThan(Duration.ofSeconds(2));

		// publish first, sign later: until the activation time both sign with the old key;
		// any token either signs was signed with a key both were already publishing
		Set<String> publishedByBoth = kids(jwks(this.a, realm));
		publishedByBoth.retainAll(kids(jwks(this.b, realm)));
		boolean bothSwitched = false;
		while (!bothSwitched) {
			String kidA = kidOf(clientCredentials(portalAtA));
			Instant signedA = Instant.now();
			String kidB = kidOf(clientCredentials(portalAtB));
			Instant signedB = Instant.now();
			assertThat(publishedByBoth).as("A signs only with a key both publish").contains(kidA);
			assertThat(publishedByBoth).as("B signs only with a key both publish").contains(kidB);
			if (signedA.isBefore(activatesAt)) {
				assertThat(kidA).as("A's token answered before the activation time").isEqualTo(signingBefore);
			}
			if (signedB.isBefore(activatesAt)) {
				assertThat(kidB).as("B's token answered before the activation time").isEqualTo(signingBefore);
			}
			bothSwitched = newKids.contains(kidA) && newKids.contains(kidB);
			if (!bothSwitched) {
				assertThat(Instant.now()).as("both sign with the new key soon after its activation time")
					.isBefore(activatesAt.plusSeconds(5));
				ServerProcess.sleep(Duration.ofMillis(200));
			}
		}
		assertThat(Instant.now()).isAfterOrEqualTo(activatesAt);
		assertThat(kids(jwks(this.a, realm))).as("the old key stays published").containsAll(kidsBefore);
	}

	@Test
	void tokenRevokedOnAIsRefusedByBWithinTwoSeconds() {
		OidcClient clientAtA = webApp(this.a);
		OidcClient clientAtB = webApp(this.b);
		Tokens tokens = suzukiSignedInAt(clientAtA);
		// B has now read the grant and keeps it for up to 30 s
		assertThat(clientAtB.userInfo(tokens.getAccessToken()).indicatesSuccess()).isTrue();
		assertThat(introspect(clientAtB, tokens.getAccessToken()).isActive()).isTrue();

		assertThat(clientAtA.revoke(tokens.getAccessToken()).getStatusCode()).isEqualTo(200);
		Instant revoked = Instant.now();

		awaitWithin(Duration.ofSeconds(2), "B refuses the revoked token at UserInfo",
				() -> !clientAtB.userInfo(tokens.getAccessToken()).indicatesSuccess());
		assertThat(introspect(clientAtB, tokens.getAccessToken()).isActive()).isFalse();
		assertThat(Duration.between(revoked, Instant.now())).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void accountDisabledElsewhereIsRefusedByBothWithinTwoSeconds() throws Exception {
		OidcClient clientAtA = webApp(this.a);
		OidcClient clientAtB = webApp(this.b);
		Tokens tokens = suzukiSignedInAt(clientAtA);
		// both now hold the account in memory
		assertThat(clientAtA.userInfo(tokens.getAccessToken()).indicatesSuccess()).isTrue();
		assertThat(clientAtB.userInfo(tokens.getAccessToken()).indicatesSuccess()).isTrue();

		try {
			// as an operator's SQL, or a third process, would: neither instance made the change
			setSuzukiEnabled(false);
			Instant disabled = Instant.now();

			awaitWithin(Duration.ofSeconds(2), "A and B refuse the disabled account's token at UserInfo",
					() -> !clientAtA.userInfo(tokens.getAccessToken()).indicatesSuccess()
							&& !clientAtB.userInfo(tokens.getAccessToken()).indicatesSuccess());
			assertThat(Duration.between(disabled, Instant.now())).isLessThan(Duration.ofSeconds(2));
		}
		finally {
			setSuzukiEnabled(true);
		}
	}

	private OidcClient webApp(ServerProcess server) {
		return new OidcClient(server.discover(REALM), "web-app", "web-app-secret-0123456789");
	}

	private static Tokens suzukiSignedInAt(OidcClient client) {
		OidcClient.Authorization authorization = client.authorization(WEB_APP_CALLBACK, "openid profile");
		return client
			.exchange(new Browserless().authorize(authorization.uri(), "suzuki", "suzuki-test-pass"), authorization)
			.getOIDCTokens();
	}

	private void setSuzukiEnabled(boolean enabled) throws Exception {
		try (Connection connection = this.replicas.database().getConnection();
				PreparedStatement update = connection
					.prepareStatement("update account set enabled = ? where realm = ? and username = 'suzuki'")) {
			update.setBoolean(1, enabled);
			update.setString(2, REALM);
			assertThat(update.executeUpdate()).isEqualTo(1);
		}
	}

	@Test
	void realmFileChangedByAnotherProcessIsServedByBothWithinTwoSeconds() throws IOException {
		String realm = "citizen";
		OidcClient lateAtA = new OidcClient(this.a.discover(realm), "late-batch", "late-batch-secret-0123456789");
		OidcClient lateAtB = new OidcClient(this.b.discover(realm), "late-batch", "late-batch-secret-0123456789");
		OidcClient portalAtB = new OidcClient(this.b.discover(realm), "portal", "portal-secret-0123456789");
		assertThat(lateAtA.token(new ClientCredentialsGrant(), new Scope("openid")).indicatesSuccess())
			.as("an unknown client before").isFalse();
		assertThat(lateAtB.token(new ClientCredentialsGrant(), new Scope("openid")).indicatesSuccess()).isFalse();
		// expires_in is counted from the answer: 299 s as often as 300
		assertThat(accessTokenLifetime(portalAtB)).isBetween(290L, 300L);

		// a process started with a changed realm file (here the rotate-keys command of another
		// realm, which provisions the realm files as a server does): a new client, and access
		// tokens of 7 minutes instead of 5
		Path changed = Files.createTempDirectory(this.replicas.dataDir(), "realms-");
		try (var files = Files.list(this.replicas.realmsDir())) {
			for (Path file : files.toList()) {
				Files.copy(file, changed.resolve(file.getFileName()));
			}
		}
		String citizen = Files.readString(changed.resolve("citizen.yaml"));
		citizen = citizen.replace("tokens:\n", "tokens:\n  access-token-lifetime: 7m\n")
			.replace("clients:\n", """
					clients:
					  - client-id: late-batch
					    secret: late-batch-secret-0123456789
					    grant-types: [client_credentials]
					    scopes: [openid]
					""");
		Files.writeString(changed.resolve("citizen.yaml"), citizen);
		rotateKeys("quick-links", "2m", changed);
		Instant exited = Instant.now();

		awaitWithin(Duration.ofSeconds(2), "both instances know the new client",
				() -> lateAtA.token(new ClientCredentialsGrant(), new Scope("openid")).indicatesSuccess()
						&& lateAtB.token(new ClientCredentialsGrant(), new Scope("openid")).indicatesSuccess());
		awaitWithin(Duration.ofSeconds(2), "B issues tokens with the realm's new lifetime",
				() -> accessTokenLifetime(portalAtB) > 400);
		assertThat(Duration.between(exited, Instant.now())).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void replicaWaitsForAnotherOnesProvisioningLongerThanTheDatabaseSocketTimeout() throws Exception {
		List<String> arguments = new ArrayList<>(this.replicas.databaseArguments());
		// no answer of the database may take longer than 1 s: one blocking wait for the lock would end the start
		arguments.add("--hitotsu.database.socket-timeout=1s");
		arguments.add("--hitotsu.realms-dir=" + this.replicas.realmsDir());
		try (Connection provisioning = this.replicas.database().getConnection();
				PreparedStatement lock = provisioning.prepareStatement("select pg_advisory_lock(?)");
				PreparedStatement unlock = provisioning.prepareStatement("select pg_advisory_unlock(?)")) {
			// held as another instance holds it while it provisions the realms (realm.RealmBootstrap)
			lock.setLong(1, ClusterLock.key(0x01));
			unlock.setLong(1, ClusterLock.key(0x01));
			lock.execute();
			try (ServerProcess late = ServerProcess.launch("two-instances-late", ServerProcess.freePort(), arguments)) {
				// said after 10 s of waiting, ten times the socket timeout
				awaitWithin(ServerProcess.START_TIMEOUT, "the late replica says what it waits for",
						() -> late.logText().contains("Another instance is still provisioning the realms"));
				assertThat(late.isAlive()).isTrue();
				unlock.execute();
				late.awaitReady(ServerProcess.START_TIMEOUT);
				assertThat(late.discover(REALM).getIssuer().getValue()).endsWith("/realms/" + REALM);
			}
		}
	}

	private ServerProcess.Result rotateKeys(String realm, String activationDelay, Path realmsDir) {
		List<String> arguments = new ArrayList<>(List.of("rotate-keys", realm));
		arguments.addAll(this.replicas.databaseArguments());
		arguments.add("--hitotsu.realms-dir=" + realmsDir);
		arguments.add("--hitotsu.keys.activation-delay=" + activationDelay);
		ServerProcess.Result result = ServerProcess.run("two-instances-rotate-" + realm, arguments,
				ServerProcess.START_TIMEOUT);
		assertThat(result.exitCode()).as(result::describe).isZero();
		return result;
	}

	private static long accessTokenLifetime(OidcClient client) {
		return ((AccessTokenResponse) client.token(new ClientCredentialsGrant(), new Scope("openid"))
			.toSuccessResponse()).getTokens().getAccessToken().getLifetime();
	}

	private static String clientCredentials(OidcClient client) {
		TokenResponse response = client.token(new ClientCredentialsGrant(), new Scope("openid"));
		assertThat(response.indicatesSuccess()).isTrue();
		return ((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken().getValue();
	}

	/** Logs in with a fresh browser through the realm's login form; answers the status of the post. */
	private static int login(ServerProcess server, String realm, String username, String password) {
		SharedOriginBrowser browser = new SharedOriginBrowser();
		Browserless.FilledForm form = Browserless.fillLogin(browser.get(server.uri("/realms/" + realm + "/login")),
				username, password);
		return browser.post(form.action(), form.fields()).statusCode();
	}

	private static TokenIntrospectionSuccessResponse introspect(OidcClient client, AccessToken token) {
		TokenIntrospectionResponse response = client.introspect(token);
		assertThat(response.indicatesSuccess()).as(() -> "introspection: "
				+ (response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()))
			.isTrue();
		return response.toSuccessResponse();
	}

}
