package jp.hitotsu.admin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.audit.AuditTrail.RecordedAuditEvent;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail of a realm, newest first. */
@RestController
class AuditEventController {

	private final AuditTrail audit;

	private final RealmRegistry realms;

	AuditEventController(AuditTrail audit, RealmRegistry realms) {
		this.audit = audit;
		this.realms = realms;
	}

	/**
	 * @param type only events of this type ({@code LOGIN_FAILED}, ...)
	 * @param subject only events about this account
	 * @param limit how many events at most
	 */
	@GetMapping("/admin/api/realms/{realm}/audit-events")
	@AdminOperation(AdminPermission.READ_AUDIT)
	AuditEvents list(@PathVariable String realm, @RequestParam(required = false) AuditEventType type,
			@RequestParam(required = false) @Size(max = 64) String subject,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		this.realms.get(realm);
		return new AuditEvents(
				this.audit.newest(realm, type, subject, limit).stream().map(AuditEventView::of).toList());
	}

	/** A page of events; an object rather than a bare list, so paging can be added beside them. */
	record AuditEvents(List<AuditEventView> events) {
	}

	record AuditEventView(long id, Instant occurredAt, AuditEventType type, String outcome, String subject,
			String username, String clientId, String ipAddress, String sessionId, Map<String, Object> details,
			String requestId) {

		static AuditEventView of(RecordedAuditEvent recorded) {
			var event = recorded.event();
			return new AuditEventView(recorded.id(), recorded.occurredAt(), event.type(),
					event.outcome().name().toLowerCase(Locale.ROOT), event.subject(), event.username(),
					event.clientId(), event.ipAddress(), event.sessionId(), event.details(), event.requestId());
		}

	}

}
