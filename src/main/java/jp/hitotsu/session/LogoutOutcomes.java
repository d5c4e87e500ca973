package jp.hitotsu.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;

import org.springframework.stereotype.Component;

/**
 * What became of each logout token: an audit event (batched outside full-audit realms, like
 * other events of background work) and the counter {@value #DELIVERIES} by realm and
 * outcome.
 */
@Component
class LogoutOutcomes {

	static final String DELIVERIES = "hitotsu.logout.deliveries";

	/** The client answered 2xx. */
	static final String DELIVERED = "delivered";

	/** No answer, or a 5xx, 408 or 429: another attempt follows. */
	static final String RETRY = "retry";

	/** The client answered another 4xx: it refuses this token, sending it again would not help. */
	static final String REJECTED = "rejected";

	/** The last attempt failed too. */
	static final String FAILED = "failed";

	/** The queue was full. */
	static final String DROPPED = "dropped";

	/** The URI's host is not one the zone allows ({@code hitotsu.logout.allowed-hosts}). */
	static final String REFUSED = "refused";

	/** The client, its back-channel logout URI or its realm went before the token was sent. */
	static final String ABANDONED = "abandoned";

	private final AuditTrail audit;

	private final MeterRegistry registry;

	LogoutOutcomes(AuditTrail audit, MeterRegistry registry) {
		this.audit = audit;
		this.registry = registry;
	}

	void record(LogoutQueue.Delivery delivery, String outcome, String error) {
		AuditEvent.Builder event = AuditEvent.of(delivery.realm(), AuditEventType.LOGOUT_DELIVERY)
			.client(delivery.clientId())
			.subject(delivery.subject())
			.withoutRequestDetails()
			.detail("outcome", outcome)
			.detail("sid", delivery.sid())
			.detail("reason", delivery.reason())
			.detail("attempt", delivery.attempts());
		if (!DELIVERED.equals(outcome)) {
			event.failure();
		}
		if (error != null) {
			event.detail("error", error);
		}
		this.audit.recordWithoutChange(event.build());
		Counter.builder(DELIVERIES)
			.description("Logout tokens sent to clients' back-channel logout URIs, by outcome")
			.tag("realm", delivery.realm())
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

}
