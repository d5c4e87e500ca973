package jp.hitotsu.realm;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad realm file into a short startup failure report instead of a stack trace. */
class RealmDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<RealmDefinitionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RealmDefinitionException cause) {
		return new FailureAnalysis("A realm definition is not valid: " + cause.getMessage(),
				"Correct the realm file (see README.md, 'Realm files'), or point hitotsu.realms-dir at another directory.",
				cause);
	}

}
