package jp.hitotsu.oidc;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jp.hitotsu.cluster.ClusterLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes grants whose every token has expired, revocation records of tokens that have
 * expired anyway, the jti of DPoP proofs too old to be accepted again and the counts of
 * wrong device user codes whose window ended, in batches, in the
 * background. Only one instance purges at a time, one batch per transaction
 * ({@link ClusterLock}): an instance that dies mid-purge leaves the rest to the next.
 */
@Component
public class ExpiredGrantPurge {

	private static final Logger logger = LoggerFactory.getLogger(ExpiredGrantPurge.class);

	private static final long PURGE_LOCK = ClusterLock.key(0x02);

	/** One batch of each kind of expired row, by primary key. */
	private static final List<String> DELETES = List.of("""
			delete from oauth_authorization where id in
			  (select id from oauth_authorization where expires_at < :now limit :batch)
			""", """
			delete from oauth_revoked_token where token_hash in
			  (select token_hash from oauth_revoked_token where expires_at < :now limit :batch)
			""", """
			delete from dpop_proof where jti_hash in
			  (select jti_hash from dpop_proof where expires_at < :now limit :batch)
			""", """
			delete from device_user_code_failure where (realm, principal_name) in
			  (select realm, principal_name from device_user_code_failure where expires_at < :now limit :batch)
			""");

	private final JdbcClient jdbc;

	private final ClusterLock lock;

	private final GrantStorageProperties properties;

	private final Clock clock;

	ExpiredGrantPurge(JdbcClient jdbc, ClusterLock lock, GrantStorageProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.lock = lock;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${hitotsu.grants.purge-interval:5m}",
			fixedDelayString = "${hitotsu.grants.purge-interval:5m}")
	void scheduled() {
		purge();
	}

	/** Purges everything expired now; returns the number of rows deleted. */
	public int purge() {
		Instant now = this.clock.instant();
		int total = 0;
		for (String delete : DELETES) {
			int deleted;
			do {
				deleted = batch(delete, now);
				total += Math.max(deleted, 0);
			}
			while (deleted == this.properties.purgeBatchSize());
		}
		if (total > 0) {
			logger.info("Purged {} expired grants, revocations and DPoP proof records", total);
		}
		return total;
	}

	/** One batch, or -1 when another instance holds the lock. */
	private int batch(String delete, Instant now) {
		return this.lock.runIfFree(PURGE_LOCK, () -> this.jdbc.sql(delete)
			.param("now", Timestamp.from(now))
			.param("batch", this.properties.purgeBatchSize())
			.update()).orElse(-1);
	}

}
