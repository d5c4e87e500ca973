package jp.hitotsu.directory;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jp.hitotsu.cluster.ClusterLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applies scheduled transfer batches once they are due, each in one transaction. Only one
 * instance applies at a time ({@link ClusterLock}); the batch row itself is locked too, so
 * a cancel waits for the apply and then finds it applied. An instance that dies while
 * applying rolls the batch back with its connection; it stays scheduled and the next
 * instance applies it whole.
 */
@Component
public class TransferJob {

	private static final Logger logger = LoggerFactory.getLogger(TransferJob.class);

	private static final long TRANSFER_LOCK = ClusterLock.key(0x30);

	private final ClusterLock lock;

	private final TransferBatches batches;

	private final Clock clock;

	TransferJob(ClusterLock lock, TransferBatches batches, Clock clock) {
		this.lock = lock;
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
		while (this.lock.runIfFree(TRANSFER_LOCK, this::applyNext).orElse(false)) {
			taken++;
		}
		return taken;
	}

	private boolean applyNext() {
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
