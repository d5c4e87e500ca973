package jp.hitotsu.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Writes audit events and reads them back. An event is inserted unchained, inside the
 * caller's transaction when there is one, so an audited change and its event commit or
 * roll back together; {@link AuditChain} later seals it into its realm's hash chain.
 */
@Service
public class AuditTrail {

	private static final Logger logger = LoggerFactory.getLogger(AuditTrail.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
	};

	static final String COLUMNS = """
			id, occurred_at, realm, type, outcome, subject, username, client_id, ip_address, user_agent, session_id,
			details::text as details, request_id""";

	/** Most rows in one multi-row insert. */
	private static final int INSERT_ROWS = 1000;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final RealmRegistry realms;

	private final AuditProperties properties;

	private final ApplicationEventPublisher events;

	/** Events of calls that changed nothing, waiting for the next multi-row insert. */
	private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pendingCount = new AtomicInteger();

	AuditTrail(JdbcClient jdbc, Clock clock, RealmRegistry realms, AuditProperties properties,
			ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.realms = realms;
		this.properties = properties;
		this.events = events;
	}

	/** Writes the event now, in the caller's transaction when there is one. */
	public void record(AuditEvent event) {
		this.jdbc.sql("""
				insert into audit_event (occurred_at, realm, type, outcome, subject, username, client_id, ip_address,
				  user_agent, session_id, details, request_id)
				values (:at, :realm, :type, :outcome, :subject, :username, :client, :ip, :agent, :session,
				  cast(:details as jsonb), :requestId)
				""")
			.param("at", Timestamp.from(this.clock.instant()))
			.param("realm", event.realm())
			.param("type", event.type().name())
			.param("outcome", outcome(event))
			.param("subject", event.subject())
			.param("username", event.username())
			.param("client", event.clientId())
			.param("ip", event.ipAddress())
			.param("agent", event.userAgent())
			.param("session", event.sessionId())
			.param("details", JSON.writeValueAsString(event.details()))
			.param("requestId", event.requestId())
			.update();
		// for listeners that count what happened (metrics); a transactional listener hears it once committed
		this.events.publishEvent(event);
	}

	/**
	 * Writes many events now, in the caller's transaction, in one statement per thousand
	 * rather than one each (a transfer batch's thousands of people). Each is published like
	 * {@link #record}'s.
	 */
	public void recordAll(List<AuditEvent> events) {
		Instant now = this.clock.instant();
		List<Pending> rows = events.stream().map((event) -> new Pending(now, event)).toList();
		for (int start = 0; start < rows.size(); start += INSERT_ROWS) {
			insertRows(rows.subList(start, Math.min(rows.size(), start + INSERT_ROWS)));
		}
		events.forEach(this.events::publishEvent);
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
	 * Records the event of a call that changed nothing in the database (a client-credentials
	 * token, UserInfo, introspection). In a realm with full audit it is written now, before
	 * the response; elsewhere it joins the next multi-row insert (within
	 * {@code hitotsu.audit.batch-interval}), so these hot paths do not wait for a commit. Such
	 * an event is lost if the process dies in between.
	 */
	public void recordWithoutChange(AuditEvent event) {
		if (isFull(event.realm()) || this.pendingCount.get() >= this.properties.batchQueueLimit()) {
			record(event);
			return;
		}
		this.pending.add(new Pending(this.clock.instant(), event));
		this.pendingCount.incrementAndGet();
	}

	/**
	 * Whether the realm audits every call, UserInfo and introspection included (zone
	 * {@code mynumber}, or {@code policies: [full-audit]} in its file).
	 */
	public boolean isFull(String realm) {
		return this.realms.find(realm).map(Realm::fullAudit).orElse(false);
	}

	@Scheduled(fixedDelayString = "${hitotsu.audit.batch-interval:100ms}")
	void flushScheduled() {
		try {
			flush();
		}
		catch (DataAccessException ex) {
			logger.warn("Cannot write {} waiting audit events yet ({}); trying again", this.pendingCount.get(),
					ex.getMessage());
		}
	}

	/** Writes every waiting event in one statement per thousand. */
	@PreDestroy
	public void flush() {
		List<Pending> batch = new ArrayList<>();
		Pending next;
		while ((next = this.pending.poll()) != null) {
			this.pendingCount.decrementAndGet();
			batch.add(next);
			if (batch.size() == INSERT_ROWS) {
				insert(batch);
				batch.clear();
			}
		}
		if (!batch.isEmpty()) {
			insert(batch);
		}
	}

	private void insert(List<Pending> batch) {
		try {
			insertRows(batch);
		}
		catch (DataAccessException ex) {
			// back in the queue, for the next attempt
			batch.forEach((event) -> {
				this.pending.add(event);
				this.pendingCount.incrementAndGet();
			});
			throw ex;
		}
	}

	private void insertRows(List<Pending> batch) {
		int size = batch.size();
		// instants as text: an array of timestamps would go through the JVM's time zone
		String[] at = new String[size];
		String[][] text = new String[11][size];
		for (int i = 0; i < size; i++) {
			AuditEvent event = batch.get(i).event();
			at[i] = batch.get(i).at().toString();
			text[0][i] = event.realm();
			text[1][i] = event.type().name();
			text[2][i] = outcome(event);
			text[3][i] = event.subject();
			text[4][i] = event.username();
			text[5][i] = event.clientId();
			text[6][i] = event.ipAddress();
			text[7][i] = event.userAgent();
			text[8][i] = event.sessionId();
			text[9][i] = JSON.writeValueAsString(event.details());
			text[10][i] = event.requestId();
		}
		this.jdbc.sql("""
				insert into audit_event (occurred_at, realm, type, outcome, subject, username, client_id, ip_address,
				  user_agent, session_id, details, request_id)
				select cast(e.at as timestamptz), e.realm, e.type, e.outcome, e.subject, e.username, e.client, e.ip, e.agent, e.session,
				  cast(e.details as jsonb), e.request
				from unnest(:at, :realm, :type, :outcome, :subject, :username, :client, :ip, :agent, :session, :details,
				  :request)
				  as e(at, realm, type, outcome, subject, username, client, ip, agent, session, details, request)
				""")
			.param("at", array("text", at))
			.param("realm", array("varchar", text[0]))
			.param("type", array("varchar", text[1]))
			.param("outcome", array("varchar", text[2]))
			.param("subject", array("varchar", text[3]))
			.param("username", array("varchar", text[4]))
			.param("client", array("varchar", text[5]))
			.param("ip", array("varchar", text[6]))
			.param("agent", array("varchar", text[7]))
			.param("session", array("varchar", text[8]))
			.param("details", array("text", text[9]))
			.param("request", array("varchar", text[10]))
			.update();
	}

	/** A PostgreSQL array parameter, for statements that take many rows in one go. */
	static SqlTypeValue array(String elementType, Object[] elements) {
		return new AbstractSqlTypeValue() {
			@Override
			protected Object createTypeValue(Connection connection, int sqlType, String typeName) throws SQLException {
				return connection.createArrayOf(elementType, elements);
			}
		};
	}

	private static String outcome(AuditEvent event) {
		return event.outcome().name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The one change ever made to recorded events: when a person deletes their account,
	 * the events about them keep what happened and when (type, outcome, time, realm,
	 * client) and lose who and where. Their subject becomes the given pseudonym, and their
	 * username, address, session and details are removed. Events whose subject is the
	 * account, and events without a subject whose username is the account's (failed logins
	 * typed with it), are changed. Answers how many. Sealed events lose the salt of their
	 * personal digest too: their links still hold, and the verifier reports them as erased
	 * (docs/audit.md). The second kind has no index of its
	 * own (an index on a table this large must be built concurrently, which Flyway's
	 * transactional lock does not allow yet): a deletion reads the realm's events once.
	 */
	public int pseudonymise(String realm, String subject, String username, String pseudonym) {
		return this.jdbc.sql("""
				update audit_event
				set subject = :pseudonym, username = null, ip_address = null, user_agent = null, session_id = null,
				  details = '{"pseudonymised": true}'::jsonb, personal_salt = null
				where realm = :realm and (subject = :subject or (subject is null and lower(username) = lower(:username)))
				""")
			.param("pseudonym", pseudonym)
			.param("realm", realm)
			.param("subject", subject)
			.param("username", username)
			.update();
	}

	/** One event of a realm by its id; empty when the realm has none with that id. */
	public Optional<RecordedAuditEvent> find(String realm, long id) {
		return this.jdbc.sql("select " + COLUMNS + " from audit_event where realm = :realm and id = :id")
			.param("realm", realm)
			.param("id", id)
			.query(AuditTrail::read)
			.optional();
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
		return search(new AuditQuery(realm, null, null, subject, type, null, null, null, limit)).events();
	}

	/**
	 * One page of a realm's events, newest first (time, then id, both descending: a stable
	 * order). Each filter present adds its condition; the statement is assembled from fixed
	 * fragments, values always as parameters, so that PostgreSQL plans each combination on
	 * the index that fits it rather than one generic plan for all.
	 */
	public AuditPage search(AuditQuery query) {
		StringBuilder sql = new StringBuilder("select ").append(COLUMNS)
			.append(" from audit_event where realm = :realm");
		Map<String, Object> params = new java.util.HashMap<>();
		params.put("realm", query.realm());
		if (query.from() != null) {
			sql.append(" and occurred_at >= :from");
			params.put("from", Timestamp.from(query.from()));
		}
		if (query.to() != null) {
			sql.append(" and occurred_at < :to");
			params.put("to", Timestamp.from(query.to()));
		}
		if (query.subject() != null) {
			sql.append(" and subject = :subject");
			params.put("subject", query.subject());
		}
		if (query.type() != null) {
			sql.append(" and type = :type");
			params.put("type", query.type().name());
		}
		if (query.clientId() != null) {
			sql.append(" and client_id = :client");
			params.put("client", query.clientId());
		}
		if (query.outcome() != null) {
			sql.append(" and outcome = :outcome");
			params.put("outcome", query.outcome().name().toLowerCase(Locale.ROOT));
		}
		if (query.after() != null) {
			sql.append(" and (occurred_at, id) < (:cursorAt, :cursorId)");
			params.put("cursorAt", Timestamp.from(query.after().occurredAt()));
			params.put("cursorId", query.after().id());
		}
		sql.append(" order by occurred_at desc, id desc limit :limit");
		params.put("limit", query.limit() + 1);
		List<RecordedAuditEvent> events = this.jdbc.sql(sql.toString()).params(params).query(AuditTrail::read).list();
		if (events.size() <= query.limit()) {
			return new AuditPage(events, null);
		}
		List<RecordedAuditEvent> page = events.subList(0, query.limit());
		RecordedAuditEvent last = page.get(page.size() - 1);
		return new AuditPage(List.copyOf(page), new AuditQuery.Cursor(last.occurredAt(), last.id()));
	}

	static RecordedAuditEvent read(ResultSet rs, int row) throws SQLException {
		return new RecordedAuditEvent(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
				new AuditEvent(rs.getString("realm"), AuditEventType.valueOf(rs.getString("type")),
						AuditEvent.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
						rs.getString("subject"), rs.getString("username"), rs.getString("client_id"),
						rs.getString("ip_address"), rs.getString("user_agent"), rs.getString("session_id"),
						JSON.readValue(rs.getString("details"), DETAILS), rs.getString("request_id")));
	}

	/** An event as stored, with its sequence number and time. */
	public record RecordedAuditEvent(long id, Instant occurredAt, AuditEvent event) {
	}

	/** @param next where the following page starts, {@code null} on the last page */
	public record AuditPage(List<RecordedAuditEvent> events, AuditQuery.Cursor next) {
	}

	private record Pending(Instant at, AuditEvent event) {
	}

}
