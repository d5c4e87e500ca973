package jp.hitotsu.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A short startup report, instead of a stack trace, when the data directory is taken. */
class EmbeddedDatabaseInUseFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedDatabaseInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedDatabaseInUseException cause) {
		return new FailureAnalysis(cause.getMessage() + ".",
				"Stop the other process, or give this one its own directory with hitotsu.data-dir"
						+ " (or hitotsu.embedded-database.data-dir), or point both at one external PostgreSQL"
						+ " with spring.datasource.url.",
				cause);
	}

}
