package jp.hitotsu.admin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jp.hitotsu.audit.AuditChain;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditQuery;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.audit.AuditTrail.RecordedAuditEvent;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail of a realm: its events newest first, the verification of its chain, checkpoints. */
@RestController
class AuditEventController {

	private final AuditTrail audit;

	private final AuditChain chain;

	private final RealmRegistry realms;

	AuditEventController(AuditTrail audit, AuditChain chain, RealmRegistry realms) {
		this.audit = audit;
		this.chain = chain;
		this.realms = realms;
	}

	/**
	 * @param from only events at or after this time (ISO-8601)
	 * @param to only events before this time
	 * @param subject only events about this account
	 * @param type only events of this type ({@code LOGIN_FAILED}, ...)
	 * @param client only events involving this client
	 * @param outcome only {@code success} or only {@code failure}
	 * @param after the {@code next} of the previous page
	 * @param limit how many events at most
	 */
	@GetMapping("/admin/api/realms/{realm}/audit-events")
	@Operation(summary = "Search the realm's audit events, newest first")
	@AdminOperation(AdminPermission.READ_AUDIT)
	AuditEvents list(@PathVariable String realm, @RequestParam(required = false) Instant from,
			@RequestParam(required = false) Instant to, @RequestParam(required = false) @Size(max = 64) String subject,
			@RequestParam(required = false) AuditEventType type,
			@RequestParam(required = false) @Size(max = 255) String client,
			@RequestParam(required = false) String outcome,
			@RequestParam(required = false) @Size(max = 64) String after,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		this.realms.get(realm);
		if (from != null && to != null && !from.isBefore(to)) {
			throw new InvalidParameterException("to", "admin.problem.audit-range", from, to);
		}
		AuditQuery.Cursor cursor = null;
		if (after != null) {
			try {
				cursor = AuditQuery.Cursor.decode(after);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidParameterException("after", "admin.problem.wrong-type", after);
			}
		}
		AuditTrail.AuditPage page = this.audit
			.search(new AuditQuery(realm, from, to, subject, type, client, outcome(outcome), cursor, limit));
		return new AuditEvents(page.events().stream().map(AuditEventView::of).toList(),
				(page.next() != null) ? page.next().encode() : null);
	}

	/** {@code success} or {@code failure}, as events show it. */
	private static AuditEvent.Outcome outcome(String outcome) {
		if (outcome == null) {
			return null;
		}
		for (AuditEvent.Outcome known : AuditEvent.Outcome.values()) {
			if (known.name().equalsIgnoreCase(outcome)) {
				return known;
			}
		}
		throw new InvalidParameterException("outcome", "admin.problem.not-one-of", outcome, "success, failure");
	}

	/** One event with every field, as the list shows it. */
	@GetMapping("/admin/api/realms/{realm}/audit-events/{id}")
	@Operation(summary = "Show one audit event of the realm")
	@AdminOperation(AdminPermission.READ_AUDIT)
	AuditEventView event(@PathVariable String realm, @PathVariable long id) {
		this.realms.get(realm);
		return this.audit.find(realm, id).map(AuditEventView::of)
			.orElseThrow(() -> new UnknownAuditEventException(realm, id));
	}

	/**
	 * Walks the realm's chain and reports the first broken link; with a checkpoint exported
	 * earlier, also whether events were deleted from the end since.
	 */
	@GetMapping("/admin/api/realms/{realm}/audit-events/verification")
	@Operation(summary = "Verify the realm's audit chain")
	@AdminOperation(AdminPermission.READ_AUDIT)
	AuditChain.Verification verify(@PathVariable String realm,
			@RequestParam(required = false) @Size(max = 4096) String checkpoint) {
		this.realms.get(realm);
		try {
			return this.chain.verify(realm, checkpoint);
		}
		catch (AuditChain.InvalidCheckpointException ex) {
			throw new InvalidParameterException("checkpoint", "admin.problem.audit-checkpoint", realm, ex.getMessage());
		}
	}

	/** The realm's chain head, signed with the realm's key: keep it outside the database. */
	@PostMapping("/admin/api/realms/{realm}/audit-events/checkpoints")
	@Operation(summary = "Sign the audit chain's head as a checkpoint to keep elsewhere")
	@AdminOperation(AdminPermission.READ_AUDIT)
	@ResponseStatus(HttpStatus.CREATED)
	AuditChain.SignedCheckpoint checkpoint(@PathVariable String realm) {
		this.realms.get(realm);
		return this.chain.checkpoint(realm);
	}

	/**
	 * A page of events.
	 * @param next pass as {@code after} for the following page; {@code null} on the last
	 */
	record AuditEvents(List<AuditEventView> events, String next) {
	}

	record AuditEventView(long id, Instant occurredAt, AuditEventType type, String outcome, String subject,
			String username, String clientId, String ipAddress, String userAgent, String sessionId,
			Map<String, Object> details, String requestId) {

		static AuditEventView of(RecordedAuditEvent recorded) {
			var event = recorded.event();
			return new AuditEventView(recorded.id(), recorded.occurredAt(), event.type(),
					event.outcome().name().toLowerCase(Locale.ROOT), event.subject(), event.username(),
					event.clientId(), event.ipAddress(), event.userAgent(), event.sessionId(), event.details(),
					event.requestId());
		}

	}

}
