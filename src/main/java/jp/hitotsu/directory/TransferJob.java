package jp.hitotsu.directory;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies scheduled transfer batches once they are due, each in one transaction. Only one
 * instance applies at a time: each batch runs under a transaction-scoped PostgreSQL
 * advisory lock that other instances skip rather than wait for (and the batch row itself is
 * locked, so a cancel waits for the apply and then finds it applied).
 */
@Component
public class TransferJob {

	private static final Logger logger = LoggerFactory.getLogger(TransferJob.class);

	/** Key of the advisory lock ("HITOTSU" and 30). */
	private static final long TRANSFER_LOCK = 0x48_49_54_4F_54_53_55_30L;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final TransferBatches batches;

	private final Clock clock;

	TransferJob(JdbcClient jdbc, TransactionTemplate transactions, TransferBatches batches, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.batches = batches;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${hitotsu.directory.transfer-check-interval:1m}",
			fixedDelayString = "${hitotsu.directory.transfer-check-interval:1m}")
	void scheduled() {
		applyDue();
	}

	/** Applies every batch due now; returns how many were taken up (applied or failed). */
	public int applyDue() {
		int taken = 0;
		while (Boolean.TRUE.equals(this.transactions.execute((status) -> applyNext()))) {
			taken++;
		}
		return taken;
	}

	private boolean applyNext() {
		boolean locked = this.jdbc.sql("select pg_try_advisory_xact_lock(:key)")
			.param("key", TRANSFER_LOCK)
			.query(Boolean.class)
			.single();
		if (!locked) {
			return false;
		}
		Optional<UUID> due = this.batches.lockNextDue(this.clock.instant());
		due.ifPresent((id) -> {
			logger.info("Applying transfer batch {}", id);
			long start = System.nanoTime();
			this.batches.apply(id);
			logger.info("Transfer batch {} taken up in {} ms (before commit)", id, (System.nanoTime() - start) / 1_000_000);
		});
		return due.isPresent();
	}

}
