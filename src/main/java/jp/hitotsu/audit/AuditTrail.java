package jp.hitotsu.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Writes audit events. Called inside the caller's transaction when there is one, so an
 * audited change and its event commit or roll back together.
 */
@Service
public class AuditTrail {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	AuditTrail(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.events = events;
	}

	public void record(AuditEvent event) {
		this.jdbc.sql("""
				insert into audit_event (occurred_at, realm, type, outcome, subject, username, client_id, ip_address,
				  session_id, details, request_id)
				values (:at, :realm, :type, :outcome, :subject, :username, :client, :ip, :session, cast(:details as jsonb),
				  :requestId)
				""")
			.param("at", Timestamp.from(this.clock.instant()))
			.param("realm", event.realm())
			.param("type", event.type().name())
			.param("outcome", event.outcome().name().toLowerCase(Locale.ROOT))
			.param("subject", event.subject())
			.param("username", event.username())
			.param("client", event.clientId())
			.param("ip", event.ipAddress())
			.param("session", event.sessionId())
			.param("details", JSON.writeValueAsString(event.details()))
			.param("requestId", event.requestId())
			.update();
		// for listeners that count what happened (metrics); a transactional listener hears it once committed
		this.events.publishEvent(event);
	}

	/** How many events each realm's trail holds: one index-only count, for metrics that cache it. */
	public Map<String, Long> lengthByRealm() {
		Map<String, Long> lengths = new java.util.HashMap<>();
		this.jdbc.sql("select realm, count(*) as events from audit_event group by realm").query((rs) -> {
			lengths.put(rs.getString("realm"), rs.getLong("events"));
		});
		return lengths;
	}

	/**
	 * The newest events of a realm first, optionally only of one type and one account.
	 * @param type only this type, or {@code null} for all
	 * @param subject only this account, or {@code null} for all
	 */
	public List<RecordedAuditEvent> newest(String realm, AuditEventType type, String subject, int limit) {
		return this.jdbc.sql("""
				select id, occurred_at, realm, type, outcome, subject, username, client_id, ip_address, session_id,
				  details::text as details, request_id
				from audit_event
				where realm = :realm and (cast(:type as varchar) is null or type = :type)
				  and (cast(:subject as varchar) is null or subject = :subject)
				order by occurred_at desc, id desc limit :limit
				""")
			.param("realm", realm)
			.param("type", (type != null) ? type.name() : null)
			.param("subject", subject)
			.param("limit", limit)
			.query((rs, row) -> new RecordedAuditEvent(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
					new AuditEvent(rs.getString("realm"), AuditEventType.valueOf(rs.getString("type")),
							AuditEvent.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
							rs.getString("subject"), rs.getString("username"), rs.getString("client_id"),
							rs.getString("ip_address"), rs.getString("session_id"),
							JSON.readValue(rs.getString("details"), DETAILS), rs.getString("request_id"))))
			.list();
	}

	/** An event as stored, with its sequence number and time. */
	public record RecordedAuditEvent(long id, Instant occurredAt, AuditEvent event) {
	}

}
