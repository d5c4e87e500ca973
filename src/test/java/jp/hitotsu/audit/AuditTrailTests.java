package jp.hitotsu.audit;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jp.hitotsu.audit.AuditTrail.RecordedAuditEvent;
import jp.hitotsu.keys.SigningKeyService;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.AuditChains;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which actions leave which audit events: a person's login, consent, tokens, refresh,
 * revocation, UserInfo and introspection in a realm with full audit; client credentials
 * and the default audit elsewhere; key rotation; nothing from a change that rolled back.
 * Also the admin API's list with its filters and pages.
 */
class AuditTrailTests extends ServerTest {

	private static final URI CALLBACK = URI.create("https://audited.example.test/callback");

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private AuditTrail audit;

	@Autowired
	private AuditChain chain;

	@Autowired
	private TransactionTemplate transactions;

	@Autowired
	private SigningKeyService keys;

	@Test
	void personsLoginConsentTokensRefreshUserInfoIntrospectionAndRevocationAreAuditedInAFullAuditRealm() throws Exception {
		Instant start = Instant.now();
		OidcClient app = client("audited", "audited-app", "audited-app-secret-0123456789");
		OidcClient.Authorization authorization = app.authorization(CALLBACK, "openid profile");
		Browserless browser = browser();
		URI consent = browser.authorize(authorization.uri(), "audit-alice", "audit-alice-test-pass");
		assertThat(consent.getPath()).isEqualTo("/consent");
		HttpResponse<String> approved = browser.submit(browser.get(consent), "form.consent-form",
				Map.of("scope", "profile"));
		OIDCTokenResponse tokens = app.exchange(Browserless.location(approved), authorization);
		String subject = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject();

		RecordedAuditEvent login = awaitEvent("audited", AuditEventType.LOGIN, start, (e) -> true);
		assertThat(login.event().subject()).isEqualTo(subject);
		assertThat(login.event().userAgent()).as("the browser's User-Agent").startsWith("Java-http-client");
		assertThat(login.event().ipAddress()).isEqualTo("127.0.0.1");
		assertThat(awaitEvent("audited", AuditEventType.CONSENT_GRANTED, start, (e) -> true).event())
			.satisfies((event) -> {
				assertThat(event.subject()).isEqualTo(subject);
				assertThat(event.clientId()).isEqualTo("audited-app");
				assertThat(event.details().get("scope").toString()).contains("profile");
			});
		AuditEvent issued = awaitEvent("audited", AuditEventType.TOKEN_ISSUED, start, (e) -> true).event();
		assertThat(issued.subject()).isEqualTo(subject);
		assertThat(issued.clientId()).isEqualTo("audited-app");
		assertThat(issued.details()).containsEntry("grantType", "authorization_code").containsEntry("refreshToken", true);
		assertThat(issued.userAgent()).as("the client's User-Agent").isNotBlank();
		assertThat(issued.details().values()).as("never a token")
			.doesNotContain(tokens.getOIDCTokens().getAccessToken().getValue());

		AccessTokenResponse refreshed = app.refresh(tokens.getOIDCTokens().getRefreshToken()).toSuccessResponse();
		assertThat(awaitEvent("audited", AuditEventType.TOKEN_REFRESHED, start, (e) -> true).event().outcome())
			.isEqualTo(AuditEvent.Outcome.SUCCESS);
		var accessToken = refreshed.getTokens().getAccessToken();
		assertThat(app.userInfo(accessToken).indicatesSuccess()).isTrue();
		assertThat(newest("audited", AuditEventType.USERINFO, start)).as("written before the response")
			.singleElement()
			.satisfies((event) -> assertThat(event.event().subject()).isEqualTo(subject));
		assertThat(app.introspect(accessToken).indicatesSuccess()).isTrue();
		assertThat(newest("audited", AuditEventType.INTROSPECTION, start)).singleElement()
			.satisfies((event) -> assertThat(event.event().details()).containsEntry("active", true));

		assertThat(app.revoke(accessToken).getStatusCode()).isEqualTo(200);
		assertThat(awaitEvent("audited", AuditEventType.TOKEN_REVOKED, start, (e) -> true).event())
			.satisfies((event) -> {
				assertThat(event.subject()).isEqualTo(subject);
				assertThat(event.details()).containsEntry("known", true);
			});

		// the replaced refresh token again: refused, and its grant revoked with the event
		TokenResponse reused = app.refresh(tokens.getOIDCTokens().getRefreshToken());
		assertThat(reused.indicatesSuccess()).isFalse();
		assertThat(awaitEvent("audited", AuditEventType.TOKEN_REFRESHED, start,
				(e) -> e.event().outcome() == AuditEvent.Outcome.FAILURE).event().details())
			.containsEntry("error", "invalid_grant");
	}

	@Test
	void clientCredentialsAreAuditedBatchedByDefaultAndBeforeTheResponseInAFullAuditRealm() {
		Instant start = Instant.now();
		OidcClient full = client("audited", "audited-batch", "audited-batch-secret-0123456789");
		assertThat(full.token(new ClientCredentialsGrant()).indicatesSuccess()).isTrue();
		assertThat(newest("audited", AuditEventType.TOKEN_ISSUED, start)).as("written before the response")
			.anySatisfy((event) -> {
				assertThat(event.event().clientId()).isEqualTo("audited-batch");
				assertThat(event.event().details()).containsEntry("grantType", "client_credentials");
			});

		OidcClient plain = client("audit-plain", "plain-app", "plain-app-secret-0123456789");
		TokenResponse token = plain.token(new ClientCredentialsGrant());
		assertThat(token.indicatesSuccess()).isTrue();
		RecordedAuditEvent batched = awaitEvent("audit-plain", AuditEventType.TOKEN_ISSUED, start, (e) -> true);
		assertThat(batched.event().clientId()).isEqualTo("plain-app");
		assertThat(batched.event().subject()).isEqualTo("plain-app");

		// the default audit leaves UserInfo and introspection out
		var accessToken = token.toSuccessResponse().getTokens().getAccessToken();
		assertThat(plain.introspect(accessToken).indicatesSuccess()).isTrue();
		this.audit.flush();
		assertThat(newest("audit-plain", AuditEventType.INTROSPECTION, start)).isEmpty();
	}

	@Test
	void keyRotationIsAudited() {
		Instant start = Instant.now();
		SigningKeyService.Rotation rotation = this.keys.rotate("audit-plain");
		assertThat(newest("audit-plain", AuditEventType.KEY_ROTATED, start)).singleElement()
			.satisfies((event) -> assertThat(event.event().details().get("kids")).isEqualTo(rotation.kids()));
	}

	@Test
	void changeRolledBackLeavesNoEventAndNoGapInTheChain() {
		Instant start = Instant.now();
		this.transactions.executeWithoutResult((status) -> {
			this.audit.record(AuditEvent.of("audit-plain", AuditEventType.ADMIN_CHANGE)
				.detail("action", "rolled-back")
				.build());
			status.setRollbackOnly();
		});
		this.audit.record(AuditEvent.of("audit-plain", AuditEventType.ADMIN_CHANGE).detail("action", "kept").build());
		assertThat(newest("audit-plain", AuditEventType.ADMIN_CHANGE, start))
			.extracting((event) -> event.event().details().get("action"))
			.containsExactly("kept");
		AuditChains.awaitSealed(this.chain, this.audit, "audit-plain");
		AuditChain.Verification verification = this.chain.verify("audit-plain", null);
		assertThat(verification.intact()).as(verification::toString).isTrue();
	}

	@Test
	void listFiltersByTimeSubjectTypeClientAndOutcomeAndPagesInAStableOrder() {
		Instant before = Instant.now().minusMillis(1);
		for (int i = 0; i < 7; i++) {
			AuditEvent.Builder event = AuditEvent.of("audit-plain", (i % 2 == 0) ? AuditEventType.ADMIN_CHANGE
					: AuditEventType.LOGIN_FAILED).client("list-client").subject("list-subject-" + (i % 3));
			if (i % 2 == 1) {
				event.failure();
			}
			this.audit.record(event.build());
		}
		String token = this.admin.token("lockout-super", "lockout-super-test-pass");
		String path = "/admin/api/realms/audit-plain/audit-events?client=list-client";

		List<Long> ids = new java.util.ArrayList<>();
		String next = null;
		int pages = 0;
		do {
			JsonNode page = AdminApi.json(ok(this.admin.get(path + "&limit=3" + ((next != null) ? "&after=" + next : ""),
					token)));
			page.get("events").forEach((event) -> ids.add(event.get("id").asLong()));
			next = page.get("next").isNull() ? null : page.get("next").asString();
			pages++;
		}
		while (next != null && pages < 10);
		assertThat(pages).isEqualTo(3);
		assertThat(ids).hasSize(7).doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator.reverseOrder());

		assertThat(count(path + "&outcome=failure", token)).isEqualTo(3);
		assertThat(count(path + "&type=ADMIN_CHANGE&subject=list-subject-0", token)).isEqualTo(2);
		assertThat(count(path + "&from=" + before, token)).isEqualTo(7);
		assertThat(count(path + "&to=" + before, token)).isZero();
		assertThat(count(path + "&from=" + Instant.now().plusSeconds(60), token)).isZero();

		JsonNode range = AdminApi.json(this.admin.get(path + "&from=" + before + "&to=" + before.minusSeconds(1), token));
		assertThat(range.get("status").asInt()).isEqualTo(400);
		assertThat(range.get("errors").get(0).get("field").asString()).isEqualTo("to");
		JsonNode badCursor = AdminApi.json(this.admin.get(path + "&after=not-a-cursor&outcome=maybe", token));
		assertThat(badCursor.get("status").asInt()).isEqualTo(400);
		assertThat(badCursor.get("errors").get(0).get("field").asString()).isIn("after", "outcome");
	}

	private static HttpResponse<String> ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response::body).isEqualTo(200);
		return response;
	}

	private int count(String path, String token) {
		return AdminApi.json(ok(this.admin.get(path + "&limit=500", token))).get("events").size();
	}

	private List<RecordedAuditEvent> newest(String realm, AuditEventType type, Instant since) {
		return this.audit.newest(realm, type, null, 50)
			.stream()
			.filter((event) -> !event.occurredAt().isBefore(since.minusMillis(1)))
			.toList();
	}

	/** The newest matching event, waiting for batched events to be written. */
	private RecordedAuditEvent awaitEvent(String realm, AuditEventType type, Instant since,
			Predicate<RecordedAuditEvent> which) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (true) {
			List<RecordedAuditEvent> found = newest(realm, type, since).stream().filter(which).toList();
			if (!found.isEmpty()) {
				return found.get(0);
			}
			assertThat(System.nanoTime()).as("a " + type + " event of realm " + realm).isLessThan(deadline);
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
