package jp.hitotsu.database;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseOutagesTests {

	@Test
	void causedByWhenPoolTimedOutUnderAnyWrappingThenTrue() {
		SQLTransientConnectionException timeout = new SQLTransientConnectionException(
				"hitotsu - Connection is not available, request timed out after 2000ms");
		assertThat(DatabaseOutages.causedBy(timeout)).isTrue();
		assertThat(DatabaseOutages.causedBy(new ServletException("Request processing failed",
				new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", timeout))))
			.isTrue();
		assertThat(DatabaseOutages.causedBy(new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
				new IllegalStateException("wrapped")))).isTrue();
	}

	@Test
	void causedByWhenPostgresConnectionStatesThenTrue() {
		assertThat(DatabaseOutages.causedBy(new RuntimeException(new SQLException("I/O error", "08006")))).isTrue();
		assertThat(DatabaseOutages.causedBy(new SQLException("terminating connection", "57P01"))).isTrue();
		assertThat(DatabaseOutages.causedBy(new SQLException("the database system is starting up", "57P03")))
			.isTrue();
	}

	@Test
	void causedByWhenOtherFailuresThenFalse() {
		assertThat(DatabaseOutages.causedBy(new DataIntegrityViolationException("duplicate key",
				new SQLException("duplicate key value", "23505")))).isFalse();
		assertThat(DatabaseOutages.causedBy(new IllegalStateException("a bug"))).isFalse();
		assertThat(DatabaseOutages.causedBy(new SQLException("no state"))).isFalse();
	}

}
