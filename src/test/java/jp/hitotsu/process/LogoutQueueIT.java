package jp.hitotsu.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.RelyingPartyBackchannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A logout token for a relying party that is down waits in PostgreSQL: the packaged server
 * tries again and again, is restarted meanwhile, and delivers it once the relying party is
 * up, signed with the same realm keys and naming the same session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogoutQueueIT {

	private static final String REALM = "sessions";

	private static final URI CALLBACK = URI.create("http://127.0.0.1/rp/callback");

	private Path dataDir;

	private Path realms;

	private int port;

	private ServerProcess server;

	@BeforeAll
	void createDataDir() throws IOException {
		this.dataDir = Files.createTempDirectory("hitotsu-logout-queue-it-");
		// staff for the administrator
		this.realms = ServerProcess.testRealms(this.dataDir, REALM, "staff");
		this.port = ServerProcess.freePort();
	}

	@AfterAll
	void stopServerAndRemoveData() {
		try {
			if (this.server != null) {
				this.server.stop();
			}
		}
		finally {
			ServerProcess.cleanUp(this.dataDir);
		}
	}

	@Test
	void relyingPartyDownGetsRetriesAndTheQueueSurvivesARestart() throws Exception {
		int partyPort = ServerProcess.freePort();
		this.server = start("first");
		AdminApi admin = new AdminApi(this.server.base());
		String token = admin.token("sessions-admin", "sessions-admin-test-pass-0001");
		String clientId = "rp-" + UUID.randomUUID();
		HttpResponse<String> created = admin.postJson("/admin/api/realms/" + REALM + "/clients", token, """
				{"clientId": "%s", "grantTypes": ["authorization_code"], "redirectUris": ["%s"], "scopes": ["openid"],
				 "backchannelLogoutUri": "http://127.0.0.1:%d/backchannel-logout"}
				""".formatted(clientId, CALLBACK, partyPort));
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		OidcClient client = new OidcClient(this.server.discover(REALM), clientId,
				AdminApi.json(created).get("secret").asString());
		Browserless browser = new Browserless();
		OidcClient.Authorization authorization = client.authorization(CALLBACK, "openid");
		OIDCTokens tokens = client
			.exchange(browser.authorize(authorization.uri(), "session-user-queue", "session-user-queue-test-pass"),
					authorization)
			.getOIDCTokens();
		String subject = tokens.getIDToken().getJWTClaimsSet().getSubject();
		browser.get(URI.create(client.provider().getEndSessionEndpointURI() + "?id_token_hint="
				+ tokens.getIDTokenString()));

		awaitRetries(admin, token, subject, 2);
		assertThat(this.server.stop()).as("exit status after SIGTERM").isIn(0, 143);

		try (RelyingPartyBackchannel party = RelyingPartyBackchannel.start(partyPort)) {
			this.server = start("after-restart");
			LogoutTokenClaimsSet claims = RelyingPartyBackchannel.verify(party.awaitToken(Duration.ofSeconds(30)),
					this.server.discover(REALM), clientId);
			assertThat(claims.getSessionID().getValue())
				.isEqualTo(tokens.getIDToken().getJWTClaimsSet().getStringClaim("sid"));
			assertThat(claims.getSubject().getValue()).isEqualTo(subject);
		}
	}

	/** Waits until the audit trail shows that many failed attempts for the account. */
	private void awaitRetries(AdminApi admin, String token, String subject, int retries) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		long seen = 0;
		while (System.nanoTime() < deadline) {
			JsonNode events = AdminApi.json(admin.get("/admin/api/realms/" + REALM
					+ "/audit-events?type=LOGOUT_DELIVERY&subject=" + subject, token)).get("events");
			seen = 0;
			for (JsonNode event : events) {
				if (event.get("details").get("outcome").asString().equals("retry")) {
					seen++;
				}
			}
			if (seen >= retries) {
				return;
			}
			ServerProcess.sleep(Duration.ofMillis(200));
		}
		throw new AssertionError("Saw " + seen + " retries of the logout token, expected " + retries);
	}

	private ServerProcess start(String name) {
		return ServerProcess.start("logout-queue-" + name, this.port,
				List.of("--hitotsu.data-dir=" + this.dataDir, "--hitotsu.realms-dir=" + this.realms,
						"--hitotsu.logout.first-retry=300ms",
						"--hitotsu.logout.max-retry=1s", "--hitotsu.logout.max-attempts=50",
						"--hitotsu.logout.send-interval=100ms"));
	}

}
