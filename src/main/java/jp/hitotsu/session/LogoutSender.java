package jp.hitotsu.session;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.BackChannelLogoutRequest;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import jp.hitotsu.keys.RealmJwtEncoder;
import jp.hitotsu.oidc.RealmClientRepository;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.realm.RealmRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/**
 * Sends the queued logout tokens (OpenID Connect Back-Channel Logout 1.0): each is signed
 * with the realm's current key when it is sent, POSTed as {@code logout_token} to the
 * client's back-channel logout URI as registered at that moment, and retried with a
 * doubling pause while the client's server does not answer or answers 5xx.
 *
 * <p>
 * The HTTP client is this class's own (not a bean: the My Number zone refuses outbound
 * clients in its context, see {@code realm.NoOutboundHttp}), made at the first send, and
 * a realm under the rule {@code no-outbound-calls} reaches only the hosts of
 * {@code hitotsu.logout.allowed-hosts}: anything else is refused without a connection.
 */
@Component
class LogoutSender {

	private static final Logger logger = LoggerFactory.getLogger(LogoutSender.class);

	private final LogoutQueue queue;

	private final LogoutOutcomes outcomes;

	private final RealmRegistry realms;

	private final RealmClientRepository clients;

	private final RealmJwtEncoder encoder;

	private final LogoutProperties properties;

	private final Clock clock;

	private final LogoutHostsCheck hosts;

	private HttpClient http;

	LogoutSender(LogoutQueue queue, LogoutOutcomes outcomes, RealmRegistry realms, RealmClientRepository clients,
			RealmJwtEncoder encoder, LogoutProperties properties, Clock clock, LogoutHostsCheck hosts) {
		this.hosts = hosts;
		this.queue = queue;
		this.outcomes = outcomes;
		this.realms = realms;
		this.clients = clients;
		this.encoder = encoder;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${hitotsu.logout.send-interval:1s}")
	void sendDue() {
		try {
			List<LogoutQueue.Delivery> due;
			do {
				due = this.queue.take();
				due.forEach(this::send);
			}
			while (due.size() == this.properties.batchSize());
		}
		catch (DataAccessException ex) {
			logger.warn("Cannot send logout tokens now ({}); trying again", ex.getMessage());
		}
	}

	private void send(LogoutQueue.Delivery delivery) {
		Optional<Realm> realm = this.realms.find(delivery.realm());
		Optional<ClientDefinition> client = realm.flatMap((found) -> this.clients.definition(found.name(),
				delivery.clientId()));
		if (client.isEmpty() || client.get().backchannelLogoutUri() == null) {
			finish(delivery, LogoutOutcomes.ABANDONED, "client '" + delivery.clientId() + "' of realm '"
					+ delivery.realm() + "' is gone or has no backchannel_logout_uri");
			return;
		}
		URI uri = URI.create(client.get().backchannelLogoutUri());
		if (!this.hosts.allowed(realm.get(), uri)) {
			finish(delivery, LogoutOutcomes.REFUSED,
					LogoutHostsCheck.refusal(delivery.realm(), delivery.clientId(),
							LogoutHostsCheck.BACKCHANNEL_FILE_FIELD, uri.getHost()));
			return;
		}
		String failure;
		try {
			HttpResponse<Void> response = http().send(request(uri, token(realm.get(), client.get(), delivery)),
					HttpResponse.BodyHandlers.discarding());
			int status = response.statusCode();
			if (status >= 200 && status < 300) {
				finish(delivery, LogoutOutcomes.DELIVERED, null);
				return;
			}
			if (status >= 400 && status < 500 && status != 408 && status != 429) {
				finish(delivery, LogoutOutcomes.REJECTED, "HTTP " + status + " from " + uri);
				return;
			}
			failure = "HTTP " + status + " from " + uri;
		}
		catch (IOException ex) {
			failure = ex.getClass().getSimpleName() + " calling " + uri + ": " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			failure = "interrupted calling " + uri;
		}
		catch (RuntimeException ex) {
			// e.g. no active key of the client's algorithm yet: the next attempt may find one
			failure = "cannot make the logout token: " + ex.getMessage();
		}
		if (delivery.attempts() >= this.properties.maxAttempts()) {
			finish(delivery, LogoutOutcomes.FAILED, failure);
		}
		else {
			this.queue.retryLater(delivery, failure);
			this.outcomes.record(delivery, LogoutOutcomes.RETRY, failure);
		}
	}

	private void finish(LogoutQueue.Delivery delivery, String outcome, String error) {
		if (error != null && !LogoutOutcomes.DELIVERED.equals(outcome)) {
			logger.warn("Logout token for client '{}' of realm '{}' {}: {}", delivery.clientId(), delivery.realm(),
					outcome, error);
		}
		this.queue.remove(delivery);
		this.outcomes.record(delivery, outcome, error);
	}

	/**
	 * The logout token (Back-Channel Logout 1.0, 2.4): signed like the client's ID tokens,
	 * explicitly typed, naming the account and the session; a fresh {@code jti} per attempt.
	 */
	private String token(Realm realm, ClientDefinition client, LogoutQueue.Delivery delivery) {
		Instant now = this.clock.instant();
		String algorithm = (client.idTokenSigningAlgorithm() != null) ? client.idTokenSigningAlgorithm()
				: realm.tokens().signingAlgorithm();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(delivery.issuer())
			.audience(List.of(delivery.clientId()))
			.issuedAt(now)
			.expiresAt(now.plus(this.properties.tokenLifetime()))
			.id(UUID.randomUUID().toString())
			.subject(delivery.subject())
			.claim(LogoutTokenClaimsSet.EVENTS_CLAIM_NAME, Map.of(LogoutTokenClaimsSet.EVENT_TYPE, Map.of()));
		if (delivery.sid() != null) {
			claims.claim("sid", delivery.sid());
		}
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.from(algorithm)).type("logout+jwt").build();
		return RealmContext.callIn(realm,
				() -> this.encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue());
	}

	private HttpRequest request(URI uri, String token) {
		try {
			String form = URLUtils.serializeParameters(
					new BackChannelLogoutRequest(uri, SignedJWT.parse(token)).toParameters());
			return HttpRequest.newBuilder(uri)
				.timeout(this.properties.requestTimeout())
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build();
		}
		catch (ParseException ex) {
			throw new IllegalStateException("A logout token just signed does not parse", ex);
		}
	}

	private synchronized HttpClient http() {
		if (this.http == null) {
			// no redirects: the token goes to the registered URI only
			this.http = HttpClient.newBuilder()
				.connectTimeout(this.properties.connectTimeout())
				.followRedirects(HttpClient.Redirect.NEVER)
				.build();
		}
		return this.http;
	}

}
