package jp.hitotsu.session;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.RealmDefinition;
import jp.hitotsu.realm.RealmDefinitionLoader;
import jp.hitotsu.realm.RealmProvisionedEvent;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.RelyingPartyBackchannel;
import jp.hitotsu.support.ScimApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

import static jp.hitotsu.support.AdminApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OpenID Connect Back-Channel Logout 1.0: relying parties registered with a
 * {@code backchannel_logout_uri} are sent a signed logout token when a realm session they
 * got tokens in ends, whichever way it ends; and the admin API's sessions of an account.
 */
class BackchannelLogoutTests extends ServerTest {

	private static final String REALM = "sessions";

	private static final URI CALLBACK = URI.create("http://127.0.0.1/rp/callback");

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private AuditTrail audit;

	@Autowired
	private ApplicationEventPublisher events;

	@Test
	void discoveryAdvertisesBackchannelLogoutWithSessions() {
		OIDCProviderMetadata metadata = discover(REALM);
		assertThat(metadata.supportsBackChannelLogout()).isTrue();
		assertThat(metadata.supportsBackChannelLogoutSession()).isTrue();
	}

	@Test
	void logoutAtTheRealmReachesEveryRelyingPartyOfTheSessionWithASignedLogoutToken() throws Exception {
		try (RelyingPartyBackchannel first = RelyingPartyBackchannel.start(0);
				RelyingPartyBackchannel second = RelyingPartyBackchannel.start(0);
				RelyingPartyBackchannel elsewhere = RelyingPartyBackchannel.start(0)) {
			String token = adminToken();
			Rp a = register(REALM, token, first);
			Rp b = register(REALM, token, second);
			register(REALM, token, elsewhere);
			Browserless browser = browser();
			OIDCTokens tokensA = login(browser, a, "session-user-logout");
			OIDCTokens tokensB = loggedIn(browser, b);
			JWTClaimsSet idToken = tokensA.getIDToken().getJWTClaimsSet();
			String sid = idToken.getStringClaim("sid");
			assertThat(sid).as("ID tokens name the session").isNotBlank();
			assertThat(tokensB.getIDToken().getJWTClaimsSet().getStringClaim("sid")).isEqualTo(sid);

			HttpResponse<String> logout = browser.get(URI.create(a.client().provider().getEndSessionEndpointURI()
					+ "?id_token_hint=" + tokensA.getIDTokenString()));
			assertThat(logout.statusCode()).isEqualTo(302);

			for (Rp rp : List.of(a, b)) {
				RelyingPartyBackchannel party = (rp == a) ? first : second;
				LogoutTokenClaimsSet claims = RelyingPartyBackchannel.verify(party.awaitToken(WAIT),
						rp.client().provider(), rp.clientId());
				assertThat(claims.getSessionID().getValue()).isEqualTo(sid);
				assertThat(claims.getSubject().getValue()).isEqualTo(idToken.getSubject());
				assertThat(claims.getAudience()).extracting((audience) -> audience.getValue())
					.containsExactly(rp.clientId());
				assertThat(claims.getJWTID()).isNotNull();
				assertThat(claims.getIssueTime()).isNotNull();
			}
			assertThat(elsewhere.noTokenWithin(Duration.ofMillis(500)))
				.as("a client that got no tokens in the session is not told").isTrue();
			assertThat(outcomes(REALM, idToken.getSubject(), null, 2)).as("each delivery is audited")
				.containsExactly("delivered", "delivered");
		}
	}

	@Test
	void relyingPartyThatFailsIsTriedAgainUntilItAnswers() throws Exception {
		try (RelyingPartyBackchannel party = RelyingPartyBackchannel.start(0).failNext(503, 500)) {
			Rp rp = register(REALM, adminToken(), party);
			Browserless browser = browser();
			OIDCTokens tokens = login(browser, rp, "session-user-retry");
			browser.get(URI.create(rp.client().provider().getEndSessionEndpointURI() + "?id_token_hint="
					+ tokens.getIDTokenString()));

			String token = party.awaitToken(WAIT);
			assertThat(party.calls()).as("two failures, then the delivery").isEqualTo(3);
			RelyingPartyBackchannel.verify(token, rp.client().provider(), rp.clientId());
			String subject = tokens.getIDToken().getJWTClaimsSet().getSubject();
			assertThat(outcomes(REALM, subject, null, 3)).containsExactly("delivered", "retry", "retry");
		}
	}

	@Test
	void disabledAccountIsLoggedOutOfEveryRelyingPartyInEveryBrowser() throws Exception {
		try (RelyingPartyBackchannel first = RelyingPartyBackchannel.start(0);
				RelyingPartyBackchannel second = RelyingPartyBackchannel.start(0)) {
			String token = adminToken();
			Rp a = register(REALM, token, first);
			Rp b = register(REALM, token, second);
			Browserless office = browser();
			Browserless home = browser();
			OIDCTokens atOffice = login(office, a, "session-user-disabled");
			OIDCTokens atHome = login(home, b, "session-user-disabled");
			String subject = atOffice.getIDToken().getJWTClaimsSet().getSubject();

			HttpResponse<String> disabled = new ScimApi(this, REALM, token).send("PATCH", "/Users/" + subject, """
					{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
					 "Operations": [{"op": "replace", "path": "active", "value": false}]}""", null);
			assertThat(disabled.statusCode()).as(disabled::body).isEqualTo(200);

			assertThat(RelyingPartyBackchannel.verify(first.awaitToken(WAIT), a.client().provider(), a.clientId())
				.getSessionID()
				.getValue()).isEqualTo(atOffice.getIDToken().getJWTClaimsSet().getStringClaim("sid"));
			assertThat(RelyingPartyBackchannel.verify(second.awaitToken(WAIT), b.client().provider(), b.clientId())
				.getSessionID()
				.getValue()).isEqualTo(atHome.getIDToken().getJWTClaimsSet().getStringClaim("sid"));
			assertThat(office.authorizeLoggedIn(a.client().authorization(CALLBACK, "openid").uri()).getPath())
				.as("the browser's login ended too").isEqualTo("/realms/sessions/login");
		}
	}

	@Test
	void helpdeskSeesTheSessionsOfAnAccountAndEndsOne() throws Exception {
		try (RelyingPartyBackchannel party = RelyingPartyBackchannel.start(0)) {
			Rp rp = register(REALM, adminToken(), party);
			Browserless browser = browser();
			OIDCTokens tokens = login(browser, rp, "session-user-admin");
			String subject = tokens.getIDToken().getJWTClaimsSet().getSubject();
			String sid = tokens.getIDToken().getJWTClaimsSet().getStringClaim("sid");
			String helpdesk = this.admin.token("sessions-helpdesk", "sessions-helpdesk-test-pass-0001");
			String path = "/admin/api/realms/" + REALM + "/users/" + subject + "/sessions";

			HttpResponse<String> listed = this.admin.get(path, helpdesk);
			assertThat(listed.statusCode()).as(listed::body).isEqualTo(200);
			JsonNode session = AdminApi.json(listed).get(0);
			assertThat(session.get("sid").asString()).isEqualTo(sid);
			assertThat(session.get("userAgent").asString()).startsWith("Java-http-client");
			assertThat(session.get("clients").get(0).asString()).isEqualTo(rp.clientId());
			assertThat(session.get("startedAt").asString()).isNotBlank();
			assertThat(session.get("lastUsedAt").asString()).isNotBlank();

			assertProblem(this.admin.delete(path + "/no-such-session", helpdesk), 404, "urn:hitotsu:problem:unknown-session");
			assertProblem(this.admin.get("/admin/api/realms/" + REALM + "/users/" + UUID.randomUUID() + "/sessions",
					helpdesk), 404, "urn:hitotsu:problem:unknown-user");
			String otherRealmsHelpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
			assertThat(this.admin.get(path, otherRealmsHelpdesk).statusCode()).isEqualTo(403);

			assertThat(this.admin.delete(path + "/" + sid, helpdesk).statusCode()).isEqualTo(204);
			assertThat(RelyingPartyBackchannel.verify(party.awaitToken(WAIT), rp.client().provider(), rp.clientId())
				.getSessionID()
				.getValue()).isEqualTo(sid);
			assertThat(AdminApi.json(this.admin.get(path, helpdesk))).isEmpty();
			assertThat(browser.authorizeLoggedIn(rp.client().authorization(CALLBACK, "openid").uri()).getPath())
				.as("the browser's login ended").isEqualTo("/realms/sessions/login");
			assertThat(rp.client().refresh(tokens.getRefreshToken()).indicatesSuccess())
				.as("the session's grants ended").isFalse();
			assertThat(this.admin.delete(path, helpdesk).statusCode()).as("ending all, none left").isEqualTo(204);
		}
	}

	@Test
	void idleSessionExpiresAndItsRelyingPartiesAreLoggedOut() throws Exception {
		try (RelyingPartyBackchannel party = RelyingPartyBackchannel.start(0)) {
			Rp rp = register("sessions-idle", adminToken(), party);
			Browserless browser = browser();
			OIDCTokens tokens = login(browser, rp, "idle-user");
			LogoutTokenClaimsSet claims = RelyingPartyBackchannel.verify(party.awaitToken(WAIT),
					rp.client().provider(), rp.clientId());
			assertThat(claims.getSessionID().getValue())
				.isEqualTo(tokens.getIDToken().getJWTClaimsSet().getStringClaim("sid"));
			assertThat(browser.authorizeLoggedIn(rp.client().authorization(CALLBACK, "openid").uri()).getPath())
				.isEqualTo("/realms/sessions-idle/login");
		}
	}

	@Test
	void realmWithoutOutboundCallsSendsLogoutTokensOnlyToTheAllowedHosts() throws Exception {
		try (RelyingPartyBackchannel allowed = RelyingPartyBackchannel.start(0)) {
			String token = adminToken();
			Rp a = register("sessions-walled", token, allowed);
			Browserless browser = browser();
			OIDCTokens tokens = login(browser, a, "walled-user");
			browser.get(URI.create(a.client().provider().getEndSessionEndpointURI() + "?id_token_hint="
					+ tokens.getIDTokenString()));

			RelyingPartyBackchannel.verify(allowed.awaitToken(WAIT), a.client().provider(), a.clientId());
			String metrics = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).header("Accept", "text/plain").build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
			assertThat(metrics).as("deliveries counted by outcome (this realm's only in this test)")
				.contains("hitotsu_logout_deliveries_total{outcome=\"delivered\",realm=\"sessions-walled\"} 1.0")
				.contains("hitotsu_logout_queue{realm=\"sessions-walled\"} 0.0");
		}
	}

	@Test
	void registerInRealmWithoutOutboundCallsWhenLogoutHostNotAllowedThenProblemNamesFieldRealmAndRule() {
		String token = adminToken();
		String path = "/admin/api/realms/sessions-walled/clients";
		String clientId = "walled-" + UUID.randomUUID();
		JsonNode backchannel = assertProblem(this.admin.postJson(path, token,
				client(clientId, "http://localhost:8080/backchannel-logout")), 400, "urn:hitotsu:problem:invalid-request");
		assertLogoutHostRefused(backchannel, "backchannelLogoutUri", "localhost");

		Rp registered = register("sessions-walled", token, null, "http://127.0.0.1:8080/backchannel-logout");
		String frontchannel = """
				{"grantTypes": ["authorization_code"], "redirectUris": ["http://localhost/rp/callback"],
				 "scopes": ["openid"], "frontchannelLogoutUri": "http://localhost/rp/frontchannel-logout"}
				""";
		assertLogoutHostRefused(assertProblem(this.admin.putJson(path + "/" + registered.clientId(), token, frontchannel),
				400, "urn:hitotsu:problem:invalid-request"), "frontchannelLogoutUri", "localhost");
		assertThat(this.admin.get(path + "/" + clientId, token).statusCode()).as("nothing refused was stored")
			.isEqualTo(404);
		assertThat(AdminApi.json(this.admin.get(path + "/" + registered.clientId(), token))
			.get("frontchannelLogoutUri")
			.isNull()).as("the replace was refused whole").isTrue();
	}

	private static void assertLogoutHostRefused(JsonNode problem, String field, String host) {
		assertThat(problem.get("errors")).extracting((error) -> error.get("field").asString()).containsExactly(field);
		assertThat(problem.get("errors").get(0).get("message").asString()).contains("sessions-walled",
				"no-outbound-calls", "hitotsu.logout.allowed-hosts", host);
	}

	@Test
	void realmFileWithoutOutboundCallsNamingAnotherHostIsRefused() {
		RealmDefinition file = new RealmDefinitionLoader()
			.load(Path.of("src/test/resources/realms/sessions-walled.yaml"));
		ClientDefinition backchannel = new ClientDefinition("walled-file-rp", null, "walled-file-secret-0123456789",
				null, null, List.of("authorization_code"), List.of(CALLBACK.toString()), null, List.of("openid"), null,
				false, null, null, null, null, null, null, null, false, false, null, "https://rp.example.test/logout",
				false, null, false, false, null);
		ClientDefinition frontchannel = new ClientDefinition("walled-file-rp", null, "walled-file-secret-0123456789",
				null, null, List.of("authorization_code"), List.of("https://rp.example.test/callback"), null,
				List.of("openid"), null, false, null, null, null, null, null, null, null, false, false, null, null,
				false, "https://rp.example.test/frontchannel-logout", false, false, null);
		for (ClientDefinition client : List.of(backchannel, frontchannel)) {
			RealmProvisionedEvent event = new RealmProvisionedEvent(new RealmDefinition(file.name(), file.zone(),
					file.displayName(), file.tokens(), file.login(), file.passwordPolicy(), file.bruteForce(),
					file.policies(), file.audit(), List.of(client), file.users(), file.registration(), file.profile(),
					file.upstreamProviders()));
			assertThatThrownBy(() -> this.events.publishEvent(event)).hasMessageContaining("realm 'sessions-walled'")
				.hasMessageContaining("rule no-outbound-calls")
				.hasMessageContaining("client 'walled-file-rp'")
				.hasMessageContaining((client == backchannel) ? "backchannel-logout-uri" : "frontchannel-logout-uri")
				.hasMessageContaining("'rp.example.test'")
				.hasMessageContaining("hitotsu.logout.allowed-hosts");
		}
		assertThat(this.admin.get("/admin/api/realms/sessions-walled/clients/walled-file-rp", adminToken())
			.statusCode()).as("nothing of the file was stored").isEqualTo(404);
	}

	@Test
	void registerWhenBackchannelLogoutUriIsNotHttpsOrHasAFragmentThenProblemNamesTheField() {
		String token = adminToken();
		for (String uri : List.of("http://rp.example.test/logout", "https://rp.example.test/logout#x", "logout")) {
			JsonNode problem = assertProblem(this.admin.postJson("/admin/api/realms/" + REALM + "/clients", token,
					client("bad-" + UUID.randomUUID(), uri)), 400,
					"urn:hitotsu:problem:invalid-request");
			assertThat(problem.get("errors")).extracting((error) -> error.get("field").asString())
				.containsExactly("backchannelLogoutUri");
		}
	}

	private String adminToken() {
		return this.admin.token("sessions-admin", "sessions-admin-test-pass-0001");
	}

	private Rp register(String realm, String token, RelyingPartyBackchannel party) {
		return register(realm, token, party, party.uri().toString());
	}

	private Rp register(String realm, String token, RelyingPartyBackchannel party, String backchannelLogoutUri) {
		String clientId = "rp-" + UUID.randomUUID();
		HttpResponse<String> created = this.admin.postJson("/admin/api/realms/" + realm + "/clients", token,
				client(clientId, backchannelLogoutUri));
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		JsonNode body = AdminApi.json(created);
		assertThat(body.get("client").get("backchannelLogoutUri").asString()).isEqualTo(backchannelLogoutUri);
		return new Rp(clientId, client(realm, clientId, body.get("secret").asString()));
	}

	private static String client(String clientId, String backchannelLogoutUri) {
		return """
				{"clientId": "%s", "grantTypes": ["authorization_code", "refresh_token"],
				 "redirectUris": ["%s"], "scopes": ["openid"],
				 "backchannelLogoutUri": "%s", "backchannelLogoutSessionRequired": true}
				""".formatted(clientId, CALLBACK, backchannelLogoutUri);
	}

	private static OIDCTokens login(Browserless browser, Rp rp, String username) {
		OidcClient.Authorization authorization = rp.client().authorization(CALLBACK, "openid");
		return rp.client()
			.exchange(browser.authorize(authorization.uri(), username, username + "-test-pass"), authorization)
			.getOIDCTokens();
	}

	private static OIDCTokens loggedIn(Browserless browser, Rp rp) {
		OidcClient.Authorization authorization = rp.client().authorization(CALLBACK, "openid");
		return rp.client().exchange(browser.authorizeLoggedIn(authorization.uri()), authorization).getOIDCTokens();
	}

	/**
	 * The outcomes of the account's logout deliveries as audited, newest first, once there
	 * are this many: a relying party sees the token before the server records its answer.
	 * @param clientId only this client's, or {@code null} for all
	 */
	private List<Object> outcomes(String realm, String subject, String clientId, int count)
			throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		List<Object> outcomes;
		do {
			Thread.sleep(50);
			this.audit.flush();
			outcomes = this.audit.newest(realm, AuditEventType.LOGOUT_DELIVERY, subject, 10)
				.stream()
				.filter((event) -> clientId == null || clientId.equals(event.event().clientId()))
				.map((event) -> event.event().details().get("outcome"))
				.toList();
		}
		while (outcomes.size() < count && System.nanoTime() < deadline);
		return outcomes;
	}

	private record Rp(String clientId, OidcClient client) {
	}

}
