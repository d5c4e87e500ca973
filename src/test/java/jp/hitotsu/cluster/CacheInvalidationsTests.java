package jp.hitotsu.cluster;

import java.net.URI;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import com.nimbusds.oauth2.sdk.token.Tokens;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cache invalidations through PostgreSQL notifications, as another replica on the same
 * database sends them: a plain {@code pg_notify} on a connection of the test's own.
 */
class CacheInvalidationsTests extends ServerTest {

	private static final Duration BOUND = Duration.ofSeconds(2);

	@Autowired
	CacheInvalidations invalidations;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void notifyFromAnotherConnectionThenTheSubscriberHearsTheKey() throws Exception {
		Heard heard = subscribe();

		notifyAsAnotherReplica(heard.topic() + ":some-key");

		assertThat(heard.keys().poll(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("some-key");
	}

	@Test
	void publishWhenTransactionRollsBackThenNothingIsSentAndWhenItCommitsItIs() throws Exception {
		Heard heard = subscribe();

		this.transactions.executeWithoutResult((status) -> {
			this.invalidations.publish(heard.topic(), "rolled-back");
			status.setRollbackOnly();
		});
		this.transactions.executeWithoutResult((status) -> this.invalidations.publish(heard.topic(), "committed"));

		// heard twice (at commit by this process, then through the listening connection); a
		// notification of the rolled-back transaction would have come before these
		assertThat(heard.keys().poll(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("committed");
		assertThat(heard.keys().poll(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("committed");
		assertThat(heard.keys().poll(200, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void listeningConnectionTerminatedThenItReconnectsDropsEverythingAndHearsAgain() throws Exception {
		Heard heard = subscribe();
		int backend = this.invalidations.listenerBackendPid();
		long opened = this.invalidations.connectionsOpened();
		assertThat(backend).isPositive();
		assertThat(this.jdbc.sql("select application_name from pg_stat_activity where pid = :pid")
			.param("pid", backend)
			.query(String.class)
			.single()).isEqualTo(CacheInvalidations.APPLICATION_NAME);

		assertThat(this.jdbc.sql("select pg_terminate_backend(:pid)").param("pid", backend).query(Boolean.class).single())
			.isTrue();

		awaitTrue(() -> this.invalidations.connectionsOpened() > opened, Duration.ofSeconds(5),
				"the listening connection is opened again");
		assertThat(this.invalidations.listenerBackendPid()).isNotEqualTo(backend);
		awaitTrue(() -> heard.everything().get() > 0, BOUND, "everything is dropped after the reconnection");
		notifyAsAnotherReplica(heard.topic() + ":after-reconnection");
		assertThat(heard.keys().poll(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("after-reconnection");
	}

	@Test
	void grantRevokedByAnotherReplicaThenUserInfoRefusesItOnceNotified() throws Exception {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		// another replica revokes the grant, and its notification is not here yet: the grant
		// of a token already used is answered from memory. Something else may empty the
		// caches meanwhile (a key activating, left by another test), so up to three tries.
		Tokens tokens = null;
		String grant = null;
		boolean servedFromMemory = false;
		for (int attempt = 0; attempt < 3 && !servedFromMemory; attempt++) {
			OidcClient.Authorization authorization = webApp.authorization(
					URI.create("https://app.example.test/callback"), "openid profile");
			tokens = webApp.exchange(browser().authorize(authorization.uri(), "suzuki", "suzuki-test-pass"),
					authorization)
				.getOIDCTokens();
			assertThat(webApp.userInfo(tokens.getAccessToken()).indicatesSuccess()).isTrue();
			grant = grantOf(tokens.getAccessToken().getValue());
			this.jdbc.sql("delete from oauth_authorization where id = :id").param("id", grant).update();
			servedFromMemory = webApp.userInfo(tokens.getAccessToken()).indicatesSuccess();
		}
		assertThat(servedFromMemory).as("served from memory until told (otherwise this test proves nothing)")
			.isTrue();

		notifyAsAnotherReplica("grant:" + grant);
		Tokens revoked = tokens;
		awaitTrue(() -> !webApp.userInfo(revoked.getAccessToken()).indicatesSuccess(), BOUND,
				"UserInfo refuses the token of the revoked grant");
		assertThat(webApp.introspect(revoked.getAccessToken()).toSuccessResponse().isActive()).isFalse();
	}

	@Test
	void revokeWhenTheGrantIsSavedThenItsStatementNotifiesEveryReplica() throws Exception {
		BlockingQueue<String> grants = grantNotices();
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		Tokens tokens = logIn(webApp);
		String grant = grantOf(tokens.getAccessToken().getValue());
		grants.clear();

		assertThat(webApp.revoke(tokens.getAccessToken()).getStatusCode()).isEqualTo(200);

		// a save of the grant sends its notice in its own statement: heard through the listener
		String heard;
		do {
			heard = grants.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
		}
		while (heard != null && !heard.equals(grant));
		assertThat(heard).as("the revoked grant's id is announced").isEqualTo(grant);
	}

	@Test
	void refreshWhenTheGrantIsSavedThenNoReplicaIsNotified() throws Exception {
		BlockingQueue<String> grants = grantNotices();
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		Tokens tokens = logIn(webApp);
		String grant = grantOf(tokens.getAccessToken().getValue());

		assertThat(webApp.refresh(tokens.getRefreshToken()).indicatesSuccess()).isTrue();
		// notices arrive in commit order: everything the refresh sent comes before this marker
		notifyAsAnotherReplica("grant:after-the-refresh");

		String heard;
		do {
			heard = grants.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(heard).as("no notice for the refreshed grant, which would make every commit wait")
				.isNotEqualTo(grant);
		}
		while (heard != null && !heard.equals("after-the-refresh"));
		assertThat(heard).as("the marker sent after the refresh").isEqualTo("after-the-refresh");
	}

	/** The ids of the grants this process hears of, from now on. */
	private BlockingQueue<String> grantNotices() {
		BlockingQueue<String> grants = new LinkedBlockingQueue<>();
		this.invalidations.subscribe("grant", grants::add, () -> {
		});
		return grants;
	}

	private Tokens logIn(OidcClient webApp) {
		OidcClient.Authorization authorization = webApp.authorization(URI.create("https://app.example.test/callback"),
				"openid");
		return webApp.exchange(browser().authorize(authorization.uri(), "suzuki", "suzuki-test-pass"), authorization)
			.getOIDCTokens();
	}

	private String grantOf(String accessToken) throws Exception {
		return this.jdbc.sql("select authorization_id from oauth_token where token_hash = :hash")
			.param("hash", sha256(accessToken))
			.query(String.class)
			.single();
	}

	private Heard subscribe() {
		Heard heard = new Heard("test-" + UUID.randomUUID(), new LinkedBlockingQueue<>(), new AtomicInteger());
		this.invalidations.subscribe(heard.topic(), heard.keys()::add, heard.everything()::incrementAndGet);
		return heard;
	}

	/** A notification sent as another process would: on a connection of its own, committed. */
	private void notifyAsAnotherReplica(String payload) throws Exception {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
			connection.setAutoCommit(true);
			notify.setString(1, CacheInvalidations.CHANNEL);
			notify.setString(2, payload);
			notify.execute();
		}
	}

	private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Not within " + timeout + ": " + what);
			}
			Thread.sleep(50);
		}
	}

	private static byte[] sha256(String value) throws Exception {
		return MessageDigest.getInstance("SHA-256").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private record Heard(String topic, BlockingQueue<String> keys, AtomicInteger everything) {
	}

}
