package jp.hitotsu.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure because PostgreSQL cannot be reached (down, restarting, unreachable, the
 * pool's wait for a connection ran out, a connection that broke) from any other failure,
 * wherever it surfaces: Spring's translated exceptions, a transaction that could not begin,
 * the driver's own, wrapped in whatever the authorization server or the servlet container
 * wrapped it in. Such a request is answered 503 with {@code Retry-After},
 * not 500: it will work again once the database is back, without anything to fix here.
 */
public final class DatabaseOutages {

	private DatabaseOutages() {
	}

	/** Whether this failure, or anything that caused it, says the database was unreachable. */
	public static boolean causedBy(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (isOutage(cause)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isOutage(Throwable failure) {
		if (failure instanceof DataAccessResourceFailureException || failure instanceof TransientDataAccessException
				|| failure instanceof CannotCreateTransactionException
				|| failure instanceof SQLTransientConnectionException
				|| failure instanceof SQLNonTransientConnectionException || failure instanceof SQLRecoverableException) {
			return true;
		}
		// PostgreSQL's own: class 08 (connection exception), 57P01-57P03 (shutting down,
		// crashed, not accepting connections yet)
		if (failure instanceof SQLException sql && sql.getSQLState() != null) {
			String state = sql.getSQLState();
			return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
		}
		return false;
	}

}
