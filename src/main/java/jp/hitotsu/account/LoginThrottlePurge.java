package jp.hitotsu.account;

import java.time.Clock;
import java.time.Instant;

import jp.hitotsu.cluster.ClusterLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes brute-force counters that no longer mean anything (failures forgotten, locks
 * run out, minutes long past), in batches, in the background. One instance purges at a
 * time, one batch per transaction ({@link ClusterLock}).
 */
@Component
class LoginThrottlePurge {

	private static final Logger logger = LoggerFactory.getLogger(LoginThrottlePurge.class);

	/** The job's lock (8: the migration that made the tables). */
	private static final long PURGE_LOCK = ClusterLock.key(0x08);

	private final LoginThrottle throttle;

	private final ClusterLock lock;

	private final LoginThrottleProperties properties;

	private final Clock clock;

	LoginThrottlePurge(LoginThrottle throttle, ClusterLock lock, LoginThrottleProperties properties, Clock clock) {
		this.throttle = throttle;
		this.lock = lock;
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
		int deleted;
		do {
			deleted = this.lock.runIfFree(PURGE_LOCK, () -> this.throttle.purge(now, this.properties.purgeBatchSize()))
				.orElse(0);
			total += deleted;
		}
		while (deleted >= this.properties.purgeBatchSize());
		if (total > 0) {
			logger.debug("Purged {} stale brute-force counters", total);
		}
		return total;
	}

}
