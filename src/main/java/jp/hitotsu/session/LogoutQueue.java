package jp.hitotsu.session;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jp.hitotsu.oidc.RealmClientRepository;
import jp.hitotsu.realm.ClientDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Logout tokens waiting to be sent, in PostgreSQL: they survive a restart, and any replica
 * sends them. A replica takes due rows with {@code for update skip locked} and leases them
 * (moves their next attempt past the time a round can take) in one short statement, then
 * sends without holding a lock; a replica that dies while sending leaves its rows to
 * another once the lease ends. A client may therefore, rarely, get a session's logout
 * twice (with different {@code jti}), which the specification allows for.
 *
 * <p>
 * The queue is bounded ({@code hitotsu.logout.queue-limit}): a logout that finds it full
 * is not queued, its clients are not told, and each is audited as {@code dropped}. The
 * count is read without a lock, so replicas logging out at the same moment may pass the
 * limit by a few rows.
 */
@Component
class LogoutQueue {

	private static final Logger logger = LoggerFactory.getLogger(LogoutQueue.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final RealmClientRepository clients;

	private final LogoutProperties properties;

	private final LogoutOutcomes outcomes;

	LogoutQueue(JdbcClient jdbc, Clock clock, RealmClientRepository clients, LogoutProperties properties,
			LogoutOutcomes outcomes) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.clients = clients;
		this.properties = properties;
		this.outcomes = outcomes;
	}

	/**
	 * Queues a logout token for every client that got tokens in these sessions and has a
	 * back-channel logout URI; in the caller's transaction, before the sessions' rows go.
	 */
	void enqueue(String realm, Collection<String> sessionIds, String reason) {
		if (sessionIds.isEmpty()) {
			return;
		}
		List<Delivery> deliveries = this.jdbc.sql("""
				select c.client_id, c.issuer, s.subject, s.sid from realm_session_client c
				join realm_session s on s.realm = c.realm and s.session_id = c.session_id
				where s.realm = :realm and s.session_id = any(:sessions)
				order by s.sid, c.client_id
				""")
			.param("realm", realm)
			.param("sessions", sessionIds.toArray(String[]::new))
			.query((rs, n) -> new Delivery(0, realm, rs.getString("client_id"), rs.getString("issuer"),
					rs.getString("subject"), rs.getString("sid"), reason, 0))
			.stream()
			.filter((delivery) -> this.clients.definition(realm, delivery.clientId())
				.map(ClientDefinition::backchannelLogoutUri)
				.isPresent())
			.toList();
		if (deliveries.isEmpty()) {
			return;
		}
		long waiting = this.jdbc.sql("select count(*) from logout_delivery").query(Long.class).single();
		long room = Math.max(0, this.properties.queueLimit() - waiting);
		Timestamp now = Timestamp.from(this.clock.instant());
		for (int i = 0; i < deliveries.size(); i++) {
			Delivery delivery = deliveries.get(i);
			if (i >= room) {
				logger.warn("Logout queue full ({} waiting, hitotsu.logout.queue-limit {}): client '{}' of realm '{}' "
						+ "is not told that session {} ended", waiting, this.properties.queueLimit(),
						delivery.clientId(), realm, delivery.sid());
				this.outcomes.record(delivery, LogoutOutcomes.DROPPED, "queue full");
				continue;
			}
			this.jdbc.sql("""
					insert into logout_delivery (realm, client_id, issuer, subject, sid, reason, next_attempt_at)
					values (:realm, :client, :issuer, :subject, :sid, :reason, :now)
					""")
				.param("realm", realm)
				.param("client", delivery.clientId())
				.param("issuer", delivery.issuer())
				.param("subject", delivery.subject())
				.param("sid", delivery.sid())
				.param("reason", reason)
				.param("now", now)
				.update();
		}
	}

	/** Takes up to a round's worth of due logout tokens for this replica, counting the attempt. */
	List<Delivery> take() {
		Instant now = this.clock.instant();
		return this.jdbc.sql("""
				update logout_delivery set attempts = attempts + 1, next_attempt_at = :leaseEnd
				where id in (select id from logout_delivery where next_attempt_at <= :now
				    order by next_attempt_at limit :limit for update skip locked)
				returning id, realm, client_id, issuer, subject, sid, reason, attempts
				""")
			.param("leaseEnd", Timestamp.from(now.plus(this.properties.lease())))
			.param("now", Timestamp.from(now))
			.param("limit", this.properties.batchSize())
			.query((rs, n) -> new Delivery(rs.getLong("id"), rs.getString("realm"), rs.getString("client_id"),
					rs.getString("issuer"), rs.getString("subject"), rs.getString("sid"), rs.getString("reason"),
					rs.getInt("attempts")))
			.list();
	}

	/** The logout token was sent, or will never be: it leaves the queue. */
	void remove(Delivery delivery) {
		this.jdbc.sql("delete from logout_delivery where id = :id").param("id", delivery.id()).update();
	}

	/** Tries again after the delivery's pause. */
	void retryLater(Delivery delivery, String error) {
		this.jdbc.sql("update logout_delivery set next_attempt_at = :next, last_error = :error where id = :id")
			.param("next", Timestamp.from(this.clock.instant().plus(this.properties.retryAfter(delivery.attempts()))))
			.param("error", (error.length() > 300) ? error.substring(0, 300) : error)
			.param("id", delivery.id())
			.update();
	}

	/** Logout tokens waiting, per realm. */
	Map<String, Long> sizeByRealm() {
		Map<String, Long> sizes = new HashMap<>();
		this.jdbc.sql("select realm, count(*) as waiting from logout_delivery group by realm")
			.query((rs) -> {
				sizes.put(rs.getString("realm"), rs.getLong("waiting"));
			});
		return sizes;
	}

	/**
	 * A logout token to send to one client.
	 * @param attempts attempts made, this one included once taken
	 */
	record Delivery(long id, String realm, String clientId, String issuer, String subject, String sid, String reason,
			int attempts) {
	}

}
