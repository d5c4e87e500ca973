package jp.hitotsu.account;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes brute-force counters that no longer mean anything (failures forgotten, locks
 * run out, minutes long past), in batches, in the background. One instance purges at a
 * time: each batch takes a transaction-scoped advisory lock that the others skip rather
 * than wait for.
 */
@Component
class LoginThrottlePurge {

	private static final Logger logger = LoggerFactory.getLogger(LoginThrottlePurge.class);

	/** Key of the advisory lock ("HITOTSU" and 8, the migration that made the tables). */
	private static final long PURGE_LOCK = 0x48_49_54_4F_54_53_55_08L;

	private final LoginThrottle throttle;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final LoginThrottleProperties properties;

	private final Clock clock;

	LoginThrottlePurge(LoginThrottle throttle, JdbcClient jdbc, TransactionTemplate transactions,
			LoginThrottleProperties properties, Clock clock) {
		this.throttle = throttle;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${hitotsu.login-throttle.purge-interval:5m}",
			fixedDelayString = "${hitotsu.login-throttle.purge-interval:5m}")
	void scheduled() {
		purge();
	}

	/** Purges everything stale now; returns the number of rows deleted. */
	int purge() {
		Instant now = this.clock.instant();
		int total = 0;
		Integer deleted;
		do {
			deleted = this.transactions.execute((status) -> {
				boolean locked = this.jdbc.sql("select pg_try_advisory_xact_lock(:key)")
					.param("key", PURGE_LOCK)
					.query(Boolean.class)
					.single();
				return locked ? this.throttle.purge(now, this.properties.purgeBatchSize()) : 0;
			});
			total += (deleted != null) ? deleted : 0;
		}
		while (deleted != null && deleted >= this.properties.purgeBatchSize());
		if (total > 0) {
			logger.debug("Purged {} stale brute-force counters", total);
		}
		return total;
	}

}
