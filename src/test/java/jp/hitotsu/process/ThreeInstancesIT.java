package jp.hitotsu.process;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.DirectoryAdmin;
import jp.hitotsu.support.OidcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static jp.hitotsu.process.ReplicaSet.awaitWithin;
import static jp.hitotsu.process.ReplicaSet.jwks;
import static jp.hitotsu.process.ReplicaSet.kidOf;
import static jp.hitotsu.process.ReplicaSet.kids;
import static jp.hitotsu.process.ReplicaSet.on;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three replicas (A, B, C) on one PostgreSQL, as behind a load balancer that sends each
 * request anywhere: a login travels across all three, a change made through one is served
 * by the others within 2 s (the periodic refreshes are 10 minutes: only the notifications
 * can carry it), a background job runs once across them, and killing one under load costs
 * only the requests it had in flight and leaves no half-written row. The last test kills C.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeInstancesIT {

	private static final URI WEB_APP_CALLBACK = URI.create("https://app.example.test/callback");

	private static final URI API_CALLBACK = URI.create("http://127.0.0.1/three-instances/callback");

	private static final Duration ACTIVATION_DELAY = Duration.ofSeconds(6);

	private ReplicaSet replicas;

	private ServerProcess a;

	private ServerProcess b;

	private ServerProcess c;

	private JdbcClient sql;

	@BeforeAll
	void startThreeInstances() {
		this.replicas = ReplicaSet.start(List.of("three-instances-a", "three-instances-b", "three-instances-c"),
				List.of("staff", "guarded", "citizen"),
				List.of("--hitotsu.keys.cache-refresh=10m", "--hitotsu.cache.refresh=10m",
						"--hitotsu.grants.token-cache-ttl=30s", "--hitotsu.keys.activation-delay=" + ACTIVATION_DELAY,
						// every instance looks for due transfer batches every second: they race for each
						"--hitotsu.directory.transfer-check-interval=1s"));
		this.a = this.replicas.get(0);
		this.b = this.replicas.get(1);
		this.c = this.replicas.get(2);
		this.sql = JdbcClient.create(this.replicas.database());
	}

	@AfterAll
	void stopThem() {
		if (this.replicas != null) {
			this.replicas.close();
		}
	}

	@Test
	@Order(1)
	void loginBegunOnAFinishesOnBIsExchangedOnCRefreshedOnAAndLogoutOnBEndsItEverywhere() {
		OidcClient webAppAtA = webApp(this.a);
		OidcClient webAppAtC = webApp(this.c);
		OidcClient.Authorization authorization = webAppAtA.authorization(WEB_APP_CALLBACK, "openid profile");
		SharedOriginBrowser browser = new SharedOriginBrowser();

		URI loginPage = SharedOriginBrowser.location(browser.get(authorization.uri()));
		assertThat(loginPage.getPort()).as("A shows its login page").isEqualTo(this.a.port());
		Browserless.FilledForm form = Browserless.fillLogin(browser.get(loginPage), "tanaka", "tanaka-test-pass");
		HttpResponse<String> afterLogin = browser.post(on(this.b, form.action()), form.fields());
		assertThat(afterLogin.statusCode()).as("the login form posted to B").isEqualTo(302);
		HttpResponse<String> authorized = browser.get(on(this.b, SharedOriginBrowser.location(afterLogin)));
		URI callback = SharedOriginBrowser.location(authorized);
		assertThat(callback.toString()).startsWith(WEB_APP_CALLBACK + "?").contains("code=");

		OIDCTokens tokens = webAppAtC.exchange(callback, authorization).getOIDCTokens();
		assertThat(tokens.getIDToken()).as("the code exchanged on C").isNotNull();
		TokenResponse refreshed = webAppAtA.refresh(tokens.getRefreshToken());
		assertThat(refreshed.indicatesSuccess()).as("C's refresh token refreshed on A").isTrue();
		OIDCTokens latestTokens = ((OIDCTokenResponse) refreshed.toSuccessResponse()).getOIDCTokens();
		RefreshToken latest = latestTokens.getRefreshToken();

		// RP-initiated logout on B, with the browser's session and the latest ID token (A's:
		// the refresh replaced the one C issued in the grant)
		URI endSession = URI.create(this.b.base() + "/realms/staff/connect/logout?id_token_hint="
				+ latestTokens.getIDTokenString());
		HttpResponse<String> logout = browser.get(endSession);
		assertThat(logout.statusCode()).as(logout::body).isEqualTo(302);

		TokenResponse afterLogout = webAppAtC.refresh(latest);
		assertThat(afterLogout.indicatesSuccess()).as("the refresh token on C after logout on B").isFalse();
		assertThat(afterLogout.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
		HttpResponse<String> again = browser
			.get(on(this.a, webAppAtA.authorization(WEB_APP_CALLBACK, "openid").uri()));
		assertThat(again.statusCode()).isEqualTo(302);
		assertThat(SharedOriginBrowser.location(again).getPath()).as("A sends the logged-out browser to its login page")
			.isEqualTo("/realms/staff/login");
	}

	@Test
	@Order(2)
	void clientRegisteredThroughAIsUsableOnCWithinTwoSeconds() {
		String clientId = "three-" + UUID.randomUUID();
		OidcClient unknownAtC = new OidcClient(this.c.discover("guarded"), clientId, "not-yet");
		assertThat(clientCredentials(unknownAtC).indicatesSuccess()).as("C knows no such client (and holds the realm's clients)")
			.isFalse();

		String secret = registerClient(this.a, clientId);
		Instant registered = Instant.now();
		OidcClient atC = new OidcClient(this.c.discover("guarded"), clientId, secret);
		awaitWithin(Duration.ofSeconds(2), "C issues tokens to the client registered through A",
				() -> clientCredentials(atC).indicatesSuccess());
		assertThat(Duration.between(registered, Instant.now())).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	@Order(3)
	void keyRotatedOnBIsInEveryJwksBeforeAnyTokenIsSignedWithIt() {
		String realm = "citizen";
		List<ServerProcess> all = List.of(this.a, this.b, this.c);
		List<OidcClient> portals = all.stream()
			.map((server) -> new OidcClient(server.discover(realm), "portal", "portal-secret-0123456789"))
			.toList();
		String token = new AdminApi(this.b.base()).token("lockout-super", "lockout-super-test-pass");
		HttpResponse<String> rotated = new AdminApi(this.b.base()).post("/admin/api/realms/citizen/keys/rotation",
				token);
		assertThat(rotated.statusCode()).as(rotated::body).isEqualTo(200);
		Instant rotatedAt = Instant.now();
		Set<String> newKids = new HashSet<>();
		AdminApi.json(rotated).get("kids").forEach((kid) -> newKids.add(kid.asString()));
		awaitWithin(Duration.ofSeconds(2), "A and C publish the keys rotated on B",
				() -> all.stream().allMatch((server) -> kids(jwks(server, realm)).containsAll(newKids)));
		assertThat(Duration.between(rotatedAt, Instant.now())).isLessThan(Duration.ofSeconds(2));

		// every token: its kid was in all three JWKS as read before the token was asked for
		Instant deadline = rotatedAt.plus(ACTIVATION_DELAY).plusSeconds(10);
		Set<String> signingWithNew = new HashSet<>();
		int tokens = 0;
		while (signingWithNew.size() < all.size()) {
			assertThat(Instant.now()).as("all three sign with the new key soon after its activation").isBefore(deadline);
			Set<String> publishedByAll = kids(jwks(this.a, realm));
			publishedByAll.retainAll(kids(jwks(this.b, realm)));
			publishedByAll.retainAll(kids(jwks(this.c, realm)));
			for (int i = 0; i < all.size(); i++) {
				String kid = kidOf(accessToken(clientCredentials(portals.get(i))));
				tokens++;
				assertThat(publishedByAll).as("the kid of a token from %s was in every JWKS before", all.get(i).name())
					.contains(kid);
				if (newKids.contains(kid)) {
					signingWithNew.add(all.get(i).name());
				}
			}
			ServerProcess.sleep(Duration.ofMillis(100));
		}
		assertThat(tokens).isGreaterThan(3 * 10);
	}

	@Test
	@Order(4)
	void transferBatchDueNowIsAppliedExactlyOnceByOneOfTheThree() {
		AdminApi hrAtA = new AdminApi(this.a.base());
		String hr = hrAtA.token("dir-hr", "dir-hr-test-pass-0001");
		String suffix = UUID.randomUUID().toString().substring(0, 6);
		// valid since yesterday: the batch takes effect at today's start
		new DirectoryAdmin(hrAtA, hr).unit("TI-" + suffix, "section", "三台試験係", null);
		String today = LocalDate.now(ZoneId.of("Asia/Tokyo")).toString();
		List<String> joiners = List.of("ti-" + suffix + "-1", "ti-" + suffix + "-2");
		String csv = "action,employee_number,primary_unit,post,concurrent_posts,effective_date,username,family_name,"
				+ "given_name\r\n" + "join,TI-" + suffix + "-1,TI-" + suffix + ",,," + today + "," + joiners.get(0)
				+ ",三,一\r\n" + "join,TI-" + suffix + "-2,TI-" + suffix + ",,," + today + "," + joiners.get(1)
				+ ",三,二\r\n";
		HttpResponse<String> uploaded = hrAtA.post("/admin/api/realms/staff/transfers", hr, "text/csv",
				csv.getBytes(StandardCharsets.UTF_8));
		assertThat(uploaded.statusCode()).as(uploaded::body).isEqualTo(201);
		String batch = AdminApi.json(uploaded).get("id").asString();
		HttpResponse<String> scheduled = hrAtA.post("/admin/api/realms/staff/transfers/" + batch + "/schedule", hr);
		assertThat(scheduled.statusCode()).as(scheduled::body).isEqualTo(200);

		AdminApi hrAtC = new AdminApi(this.c.base());
		awaitWithin(Duration.ofSeconds(10), "the batch, due now, is applied",
				() -> "applied".equals(AdminApi.json(hrAtC.get("/admin/api/realms/staff/transfers/" + batch, hr))
					.get("status")
					.asString()));
		assertThat(this.sql.sql("""
				select count(*) from audit_event where realm = 'staff' and type = 'TRANSFER_APPLIED'
				and details ->> 'batch' = :batch
				""").param("batch", batch).query(Integer.class).single()).as("one TRANSFER_APPLIED per line")
			.isEqualTo(2);
		assertThat(this.sql.sql("""
				select count(*) from audit_event where realm = 'staff' and type = 'ACCOUNT_CREATED'
				and username in (:joiners)
				""").param("joiners", joiners).query(Integer.class).single()).as("one account per joiner").isEqualTo(2);
		List<String> appliedBy = List.of(this.a, this.b, this.c)
			.stream()
			.filter((server) -> server.logText().contains("Applying transfer batch " + batch))
			.map(ServerProcess::name)
			.toList();
		assertThat(appliedBy).as("the instances that applied the batch").hasSize(1);
	}

	@Test
	@Order(5)
	void killingCUnderLoadCostsOnlyItsRequestsInFlightAndLeavesNoHalfWrittenRow() throws Exception {
		String clientId = "three-load-" + UUID.randomUUID();
		String secret = registerClient(this.a, clientId);
		List<ServerProcess> all = List.of(this.a, this.b, this.c);
		List<OidcClient> clients = all.stream()
			.map((server) -> new OidcClient(server.discover("guarded"), clientId, secret))
			.toList();
		List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger next = new AtomicInteger();
		int threads = 4;
		ExecutorService load = Executors.newFixedThreadPool(threads);
		for (int t = 0; t < threads; t++) {
			String user = "load-" + (t + 1);
			load.submit(() -> {
				while (running.get()) {
					int n = next.getAndIncrement();
					int target = n % all.size();
					long started = System.nanoTime();
					String error = null;
					try {
						if (n % 2 == 0) {
							loginTokenRefresh(clients.get(target), user);
						}
						else {
							accessToken(clientCredentials(clients.get(target)));
						}
					}
					catch (Throwable failure) {
						error = failure.toString();
					}
					outcomes.add(new Outcome(all.get(target).name(), started, System.nanoTime(), error));
				}
			});
		}
		ServerProcess.sleep(Duration.ofSeconds(4));
		long killed = System.nanoTime();
		this.c.kill();
		long killedAt = System.nanoTime();
		ServerProcess.sleep(Duration.ofSeconds(4));
		running.set(false);
		load.shutdown();
		assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

		List<Outcome> done = List.copyOf(outcomes);
		assertThat(done).filteredOn((outcome) -> !outcome.server().equals(this.c.name()))
			.as("A and B answer everything, before and after C dies")
			.allSatisfy((outcome) -> assertThat(outcome.error()).isNull());
		assertThat(done).filteredOn((outcome) -> !outcome.server().equals(this.c.name()) && outcome.started() > killedAt)
			.as("A and B keep answering after C died")
			.hasSizeGreaterThan(5);
		assertThat(done).filteredOn((outcome) -> outcome.server().equals(this.c.name()) && outcome.ended() < killed)
			.as("C answered everything before it was killed")
			.isNotEmpty()
			.allSatisfy((outcome) -> assertThat(outcome.error()).isNull());

		assertNoHalfWrittenRows();
	}

	/** What a crash in the middle of a write could have left behind: none of it. */
	private void assertNoHalfWrittenRows() {
		assertThat(count("""
				select count(*) from oauth_token t
				where not exists (select 1 from oauth_authorization a where a.id = t.authorization_id)
				""")).as("tokens without their grant").isZero();
		assertThat(count("""
				select count(*) from oauth_authorization a
				where not exists (select 1 from oauth_token t where t.authorization_id = a.id)
				""")).as("grants without any token (a code, refresh or access token)").isZero();
		assertThat(count("""
				select count(*) from oauth_authorization a
				where not exists (select 1 from oauth_client c where c.id = a.registered_client_id and c.realm = a.realm)
				  or length(a.data) = 0 or a.expires_at < a.created_at
				""")).as("grants of an unknown client, empty, or expiring before they began").isZero();
		assertThat(count("""
				select count(*) from oauth_authorization a where a.session_id is not null
				and not exists (select 1 from audit_event e where e.type = 'LOGIN' and e.realm = a.realm
				                and e.session_id = a.session_id)
				""")).as("grants of a login session that has no LOGIN audit event").isZero();
		assertThat(count("""
				select count(*) from oauth_client c where c.source = 'admin-api'
				and (select count(*) from audit_event e where e.type = 'ADMIN_CHANGE' and e.realm = c.realm
				     and e.details ->> 'action' = 'register-client' and e.details ->> 'client' = c.client_id) <> 1
				""")).as("clients of the admin API without exactly one registration audit event").isZero();
		assertThat(count("""
				select count(*) from audit_event e where e.type = 'ADMIN_CHANGE'
				and e.details ->> 'action' = 'register-client'
				and not exists (select 1 from oauth_client c where c.realm = e.realm and c.client_id = e.details ->> 'client')
				and not exists (select 1 from audit_event d where d.type = 'ADMIN_CHANGE' and d.realm = e.realm
				                and d.details ->> 'action' = 'delete-client' and d.details ->> 'client' = e.details ->> 'client')
				""")).as("registrations audited whose client is neither there nor deleted").isZero();
		assertThat(count("""
				select count(*) from spring_session_attributes s
				where not exists (select 1 from spring_session p where p.primary_id = s.session_primary_id)
				""")).as("browser session attributes without their session").isZero();
	}

	private int count(String query) {
		return this.sql.sql(query).query(Integer.class).single();
	}

	/** One user's round: login (Argon2id), code exchange, refresh, all on one instance. */
	private static void loginTokenRefresh(OidcClient client, String user) {
		OidcClient.Authorization authorization = client.authorization(API_CALLBACK, "openid");
		OIDCTokens tokens = client
			.exchange(new Browserless().authorize(authorization.uri(), user, user + "-test-pass"), authorization)
			.getOIDCTokens();
		TokenResponse refreshed = client.refresh(tokens.getRefreshToken());
		if (!refreshed.indicatesSuccess()) {
			throw new AssertionError("refresh: " + refreshed.toErrorResponse().getErrorObject().toJSONObject());
		}
	}

	private static String registerClient(ServerProcess server, String clientId) {
		AdminApi admin = new AdminApi(server.base());
		String token = admin.token("lockout-realm-admin", "lockout-realm-admin-test-pass");
		HttpResponse<String> created = admin.postJson("/admin/api/realms/guarded/clients", token, """
				{"clientId": "%s", "grantTypes": ["authorization_code", "refresh_token", "client_credentials"],
				 "redirectUris": ["%s"], "scopes": ["openid"]}
				""".formatted(clientId, API_CALLBACK));
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		JsonNode body = AdminApi.json(created);
		return body.get("secret").asString();
	}

	private static OidcClient webApp(ServerProcess server) {
		return new OidcClient(server.discover("staff"), "web-app", "web-app-secret-0123456789");
	}

	private static TokenResponse clientCredentials(OidcClient client) {
		return client.token(new ClientCredentialsGrant(), new Scope("openid"));
	}

	private static String accessToken(TokenResponse response) {
		if (!response.indicatesSuccess()) {
			throw new AssertionError("token: " + response.toErrorResponse().getErrorObject().toJSONObject());
		}
		return ((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken().getValue();
	}

	/** One operation of the load: on which instance, when (System.nanoTime), and how it failed, if it did. */
	private record Outcome(String server, long started, long ended, String error) {
	}

}
