package jp.hitotsu.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

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

	AuditTrail(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	public void record(AuditEvent event) {
		this.jdbc.sql("""
				insert into audit_event (occurred_at, realm, type, outcome, subject, username, client_id, ip_address,
				  session_id, details)
				values (:at, :realm, :type, :outcome, :subject, :username, :client, :ip, :session, cast(:details as jsonb))
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
			.update();
	}

	/**
	 * The one change ever made to recorded events: when a person deletes their account,
	 * the events about them keep what happened and when (type, outcome, time, realm,
	 * client) and lose who and where. Their subject becomes the given pseudonym, and their
	 * username, address, session and details are removed. Events whose subject is the
	 * account, and events without a subject whose username is the account's (failed logins
	 * typed with it), are changed. Answers how many. The second kind has no index of its
	 * own (an index on a table this large must be built concurrently, which Flyway's
	 * transactional lock does not allow yet): a deletion reads the realm's events once.
	 */
	public int pseudonymise(String realm, String subject, String username, String pseudonym) {
		return this.jdbc.sql("""
				update audit_event
				set subject = :pseudonym, username = null, ip_address = null, session_id = null,
				  details = '{"pseudonymised": true}'::jsonb
				where realm = :realm and (subject = :subject or (subject is null and lower(username) = lower(:username)))
				""")
			.param("pseudonym", pseudonym)
			.param("realm", realm)
			.param("subject", subject)
			.param("username", username)
			.update();
	}

	/** Whether a successful event of that type about that account was recorded after that instant. */
	public boolean recordedSince(String realm, AuditEventType type, String subject, Instant since) {
		return this.jdbc.sql("""
				select exists (select 1 from audit_event
				  where subject = :subject and occurred_at > :since and realm = :realm and type = :type
				    and outcome = 'success')
				""")
			.param("subject", subject)
			.param("since", Timestamp.from(since))
			.param("realm", realm)
			.param("type", type.name())
			.query(Boolean.class)
			.single();
	}

	/**
	 * The newest events of a realm first, optionally only of one type and one account.
	 * @param type only this type, or {@code null} for all
	 * @param subject only this account, or {@code null} for all
	 */
	public List<RecordedAuditEvent> newest(String realm, AuditEventType type, String subject, int limit) {
		return this.jdbc.sql("""
				select id, occurred_at, realm, type, outcome, subject, username, client_id, ip_address, session_id,
				  details::text as details
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
							JSON.readValue(rs.getString("details"), DETAILS))))
			.list();
	}

	/** An event as stored, with its sequence number and time. */
	public record RecordedAuditEvent(long id, Instant occurredAt, AuditEvent event) {
	}

}
