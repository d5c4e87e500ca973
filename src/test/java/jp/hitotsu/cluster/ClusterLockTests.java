package jp.hitotsu.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job step runs on one instance at a time, and an instance that dies holding the lock
 * does not block the others: another connection (an instance) holds the lock in an open
 * transaction, then breaks off as a killed process's connection does.
 */
class ClusterLockTests extends ServerTest {

	private static final long KEY = ClusterLock.key(0xEE);

	@Autowired
	private ClusterLock lock;

	@Autowired
	private DataSource dataSource;

	@Test
	void runIfFreeWhenAnotherHoldsTheLockThenSkippedAndWhenItsConnectionDiesThenRun() throws Exception {
		Connection other = this.dataSource.getConnection();
		try {
			other.setAutoCommit(false);
			int backend;
			try (PreparedStatement take = other
				.prepareStatement("select pg_try_advisory_xact_lock(?), pg_backend_pid()")) {
				take.setLong(1, KEY);
				try (ResultSet taken = take.executeQuery()) {
					assertThat(taken.next() && taken.getBoolean(1)).as("the other instance holds the lock").isTrue();
					backend = taken.getInt(2);
				}
			}
			assertThat(this.lock.runIfFree(KEY, () -> "ran")).as("while the other holds it").isEmpty();

			// the other instance is killed mid-step: its connection ends, PostgreSQL rolls back
			assertThat(JdbcClient.create(this.dataSource)
				.sql("select pg_terminate_backend(:pid)")
				.param("pid", backend)
				.query(Boolean.class)
				.single()).isTrue();
			awaitLockFree();
		}
		finally {
			try {
				other.close();
			}
			catch (SQLException ex) {
				// the connection was terminated: the pool drops it
			}
		}
	}

	/** The backend ends a moment after it is told to; the lock goes with it. */
	private void awaitLockFree() throws InterruptedException {
		for (int attempt = 0; attempt < 100; attempt++) {
			if (this.lock.runIfFree(KEY, () -> "ran").isPresent()) {
				return;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("The lock of a terminated connection was not released within 2 s");
	}

	@Test
	void runIfFreeWhenTheStepFailsThenNothingStaysLocked() {
		try {
			this.lock.runIfFree(KEY, () -> {
				throw new IllegalStateException("a step that fails");
			});
		}
		catch (IllegalStateException expected) {
			// the step's transaction rolled back, and the lock with it
		}
		assertThat(this.lock.runIfFree(KEY, () -> 1)).hasValue(1);
	}

}
