package jp.hitotsu.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.BackChannelLogoutRequest;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import com.sun.net.httpserver.HttpServer;

/**
 * The back-channel logout endpoint of a relying party, on a loopback port: it parses each
 * call as a back-channel logout request (Nimbus SDK), answers with the status it is told
 * (200 unless {@link #failNext}), and hands the logout tokens it accepted to the test,
 * which verifies them as a relying party must ({@link #verify}).
 */
public final class RelyingPartyBackchannel implements AutoCloseable {

	private final HttpServer server;

	private final BlockingQueue<String> accepted = new LinkedBlockingQueue<>();

	private final AtomicInteger calls = new AtomicInteger();

	private final Deque<Integer> failures = new ArrayDeque<>();

	private RelyingPartyBackchannel(HttpServer server) {
		this.server = server;
	}

	/** Listens on the port (0 for any free one). */
	public static RelyingPartyBackchannel start(int port) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
			RelyingPartyBackchannel party = new RelyingPartyBackchannel(server);
			server.createContext("/backchannel-logout", (exchange) -> {
				party.calls.incrementAndGet();
				int status;
				try (InputStream body = exchange.getRequestBody()) {
					BackChannelLogoutRequest request = BackChannelLogoutRequest
						.parse(URLUtils.parseParameters(new String(body.readAllBytes(), StandardCharsets.UTF_8)));
					status = party.nextStatus();
					if (status == 200) {
						party.accepted.add(request.getLogoutToken().serialize());
					}
				}
				catch (com.nimbusds.oauth2.sdk.ParseException ex) {
					status = 400;
				}
				exchange.sendResponseHeaders(status, -1);
				exchange.close();
			});
			server.start();
			return party;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private synchronized int nextStatus() {
		Integer failure = this.failures.poll();
		return (failure != null) ? failure : 200;
	}

	/** Answers the next calls with these statuses, in order, then 200 again. */
	public synchronized RelyingPartyBackchannel failNext(int... statuses) {
		for (int status : statuses) {
			this.failures.add(status);
		}
		return this;
	}

	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/backchannel-logout");
	}

	/** Calls received, whatever they were answered. */
	public int calls() {
		return this.calls.get();
	}

	/** The next logout token accepted, waiting for it at most this long. */
	public String awaitToken(Duration timeout) {
		try {
			String token = this.accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (token == null) {
				throw new AssertionError("No logout token reached " + uri() + " within " + timeout + " (" + calls()
						+ " calls)");
			}
			return token;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** No further logout token arrives within this time. */
	public boolean noTokenWithin(Duration time) throws InterruptedException {
		return this.accepted.poll(time.toMillis(), TimeUnit.MILLISECONDS) == null;
	}

	/**
	 * Verifies a logout token as a relying party does: signature with the realm's published
	 * keys and the algorithm of its ID tokens (RS256), issuer, audience, explicit type,
	 * events, no nonce (Nimbus SDK).
	 */
	public static LogoutTokenClaimsSet verify(String token, OIDCProviderMetadata provider, String clientId)
			throws Exception {
		JWKSet keys = JWKSet.load(provider.getJWKSetURI().toURL());
		LogoutTokenValidator validator = new LogoutTokenValidator(new Issuer(provider.getIssuer().getValue()),
				new ClientID(clientId), JWSAlgorithm.RS256, keys);
		return validator.validate(SignedJWT.parse(token));
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
