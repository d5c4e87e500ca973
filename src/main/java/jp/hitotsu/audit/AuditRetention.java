package jp.hitotsu.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes a realm's events older than its {@code audit.retention}, only ever whole sealed
 * segments ({@code hitotsu.audit.segment-size} chain positions) from the start of the chain,
 * and keeps the last link deleted as a checkpoint: the chain verifies from there on, and a
 * deletion anywhere else still shows as a gap. Realms without a retention keep everything.
 */
@Component
public class AuditRetention {

	private static final Logger logger = LoggerFactory.getLogger(AuditRetention.class);

	/** Key of the advisory lock ("HITOTSU" and 0x61). */
	private static final long RETENTION_LOCK = 0x48_49_54_4F_54_53_55_61L;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final RealmRegistry realms;

	private final AuditTrail audit;

	private final AuditProperties properties;

	private final Clock clock;

	AuditRetention(JdbcClient jdbc, TransactionTemplate transactions, RealmRegistry realms, AuditTrail audit,
			AuditProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.realms = realms;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${hitotsu.audit.retention-interval:1h}",
			fixedDelayString = "${hitotsu.audit.retention-interval:1h}")
	void scheduled() {
		for (Realm realm : this.realms.all()) {
			try {
				apply(realm.name());
			}
			catch (DataAccessException ex) {
				logger.warn("Cannot apply the audit retention of realm '{}' now ({})", realm.name(), ex.getMessage());
			}
		}
	}

	/**
	 * Deletes the realm's whole segments older than its retention, in one transaction with
	 * the checkpoint that replaces them and an {@code AUDIT_RETENTION} event; returns the
	 * number of events deleted (0 too when another instance is at it).
	 */
	public long apply(String realm) {
		Duration retention = this.realms.get(realm).audit().retention();
		if (retention == null) {
			return 0;
		}
		Instant cutoff = this.clock.instant().minus(retention);
		Long deleted = this.transactions.execute((status) -> {
			boolean locked = this.jdbc.sql("select pg_try_advisory_xact_lock(:key)")
				.param("key", RETENTION_LOCK)
				.query(Boolean.class)
				.single();
			if (!locked) {
				return 0L;
			}
			long start = this.jdbc.sql("select coalesce(max(chain_position), 0) from audit_checkpoint where realm = :realm")
				.param("realm", realm)
				.query(Long.class)
				.single();
			// the first sealed event young enough to keep bounds what may go; without one, the head
			long firstKept = this.jdbc.sql("""
					select coalesce(min(chain_position), 0) from audit_event
					where realm = :realm and chain_position > :start and occurred_at >= :cutoff
					""")
				.param("realm", realm)
				.param("start", start)
				.param("cutoff", Timestamp.from(cutoff))
				.query(Long.class)
				.single();
			long head = this.jdbc.sql("select coalesce(max(chain_position), 0) from audit_chain_head where realm = :realm")
				.param("realm", realm)
				.query(Long.class)
				.single();
			long limit = (firstKept > 0) ? firstKept - 1 : head;
			long end = (limit / this.properties.segmentSize()) * this.properties.segmentSize();
			if (end <= start) {
				return 0L;
			}
			Link last = this.jdbc.sql("""
					select hash, occurred_at from audit_event where realm = :realm and chain_position = :end
					""")
				.param("realm", realm)
				.param("end", end)
				.query((rs, row) -> new Link(rs.getBytes("hash"), rs.getTimestamp("occurred_at").toInstant()))
				.single();
			long count = this.jdbc.sql("""
					delete from audit_event where realm = :realm and chain_position > :start and chain_position <= :end
					""").param("realm", realm).param("start", start).param("end", end).update();
			this.jdbc.sql("""
					insert into audit_checkpoint (realm, chain_position, hash, occurred_at, created_at, deleted_events)
					values (:realm, :end, :hash, :at, :now, :count)
					""")
				.param("realm", realm)
				.param("end", end)
				.param("hash", last.hash())
				.param("at", Timestamp.from(last.occurredAt()))
				.param("now", Timestamp.from(this.clock.instant()))
				.param("count", count)
				.update();
			this.audit.record(AuditEvent.of(realm, AuditEventType.AUDIT_RETENTION)
				.detail("deletedEvents", count)
				.detail("throughPosition", end)
				.detail("retention", retention.toString())
				.build());
			return count;
		});
		if (deleted != null && deleted > 0) {
			logger.info("Audit retention of realm '{}' deleted {} events older than {}", realm, deleted, retention);
		}
		return (deleted != null) ? deleted : 0;
	}

	private record Link(byte[] hash, Instant occurredAt) {
	}

}
