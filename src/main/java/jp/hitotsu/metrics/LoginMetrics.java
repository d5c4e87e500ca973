package jp.hitotsu.metrics;

import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Counts logins by outcome and lockouts per realm, from the audit events that record them,
 * once they are committed: the audit trail is where every outcome is already told apart,
 * so the metrics cannot disagree with it.
 */
@Component
class LoginMetrics {

	static final String LOGINS = "hitotsu.logins";

	static final String LOCKOUTS = "hitotsu.lockouts";

	/** The refusals of a password check that are reported as themselves; see {@link #outcome}. */
	private static final Set<String> PASSWORD_REFUSALS = Set.of("bad_password", "unknown_user", "disabled", "locked",
			"delayed");

	private final MeterRegistry registry;

	LoginMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@TransactionalEventListener(fallbackExecution = true)
	void recorded(AuditEvent event) {
		if (event.type() == AuditEventType.LOGIN || event.type() == AuditEventType.LOGIN_FAILED) {
			Counter.builder(LOGINS)
				.description("Logins that completed (outcome success) or were refused, and why")
				.tag("realm", event.realm())
				.tag("outcome", outcome(event))
				.register(this.registry)
				.increment();
		}
		else if (event.type() == AuditEventType.ACCOUNT_LOCKED) {
			Counter.builder(LOCKOUTS)
				.description("Accounts locked after too many failures")
				.tag("realm", event.realm())
				.register(this.registry)
				.increment();
		}
	}

	/** One of a few fixed values, whatever the details hold, so the tag's values stay few. */
	static String outcome(AuditEvent event) {
		if (event.type() == AuditEventType.LOGIN) {
			return "success";
		}
		if (event.details().containsKey("factor")) {
			return "second_factor_refused";
		}
		Object reason = event.details().get("reason");
		if ("throttled_ip".equals(reason)) {
			return "throttled";
		}
		// a failure without a reason (recorded by hand, or by an older writer) is "other"
		return (reason != null && PASSWORD_REFUSALS.contains(reason)) ? (String) reason : "other";
	}

}
