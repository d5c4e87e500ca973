package jp.hitotsu.cluster;

import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Background work that one instance of the cluster does at a time: the work runs in a
 * transaction of its own that first takes a transaction-scoped PostgreSQL advisory lock,
 * and an instance that finds the lock taken skips the work rather than wait for it.
 *
 * <p>
 * Why a transaction-scoped lock (and not a session lock or a lease row): it ends with the
 * transaction, commit or rollback, and PostgreSQL rolls back the transaction of a
 * connection that breaks. An instance killed in the middle of the work therefore leaves
 * neither a half-done step (the step is the transaction) nor a lock held by nobody; the
 * next instance whose schedule comes takes the lock and carries on. Each step must be a
 * batch that is complete by itself, and the work must find its next step in the database
 * (rows still expired, batches still scheduled), never in the memory of the instance.
 */
@Component
public class ClusterLock {

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	ClusterLock(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * The key of a job's lock: "HITOTSU" and a byte of the job's own, so that the keys
	 * of Hitotsu never meet another application's on a shared database.
	 */
	public static long key(int job) {
		if (job < 0 || job > 0xFF) {
			throw new IllegalArgumentException("A job's byte is 0-255: " + job);
		}
		return 0x48_49_54_4F_54_53_55_00L | job;
	}

	/**
	 * Runs one step of the work in a new transaction holding the lock; empty, without
	 * running it, when another instance (or thread) holds the lock.
	 */
	public <T> Optional<T> runIfFree(long key, Supplier<T> step) {
		return this.transactions.execute((status) -> {
			boolean locked = this.jdbc.sql("select pg_try_advisory_xact_lock(:key)")
				.param("key", key)
				.query(Boolean.class)
				.single();
			return locked ? Optional.ofNullable(step.get()) : Optional.<T>empty();
		});
	}

}
