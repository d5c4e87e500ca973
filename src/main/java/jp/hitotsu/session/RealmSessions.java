package jp.hitotsu.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.hitotsu.account.AccountDisabledEvent;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.login.LogoutFrame;
import jp.hitotsu.login.RealmLoginEvent;
import jp.hitotsu.login.RealmLoginUsedEvent;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.login.RealmLogoutEvent;
import jp.hitotsu.login.RealmPrincipal;
import jp.hitotsu.oidc.ClientTokensIssuedEvent;
import jp.hitotsu.oidc.RealmClientRepository;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The login sessions of each realm, kept in PostgreSQL beside the browser sessions: when
 * each started, was last used, from which browser, and which clients got tokens in it. A
 * session ends by the user's logout, an administrator, the account being disabled (a
 * leaver on the transfer date too) or expiry; every client that got tokens in it and
 * registered a {@code backchannel_logout_uri} is then sent a logout token
 * ({@link LogoutQueue}).
 *
 * <p>
 * The session's {@code sid} is the one the authorization server puts in ID tokens: the
 * base64url SHA-256 of the realm session's id, which itself never leaves the server.
 */
@Service
public class RealmSessions {

	/** Why a session ended, as audited and sent on. */
	public static final String ADMIN = "admin";

	/** The account's owner ended it from another session (the account console). */
	public static final String OWNER = "ended-by-owner";

	static final String EXPIRED = "expired";

	static final String ACCOUNT_DISABLED = "account-disabled";

	/** Sessions ended per expiry round and transaction, so a backlog never holds long locks. */
	private static final int EXPIRY_BATCH = 200;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final LogoutQueue queue;

	private final RealmLogins logins;

	private final RealmRegistry realms;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final RealmClientRepository clients;

	RealmSessions(JdbcClient jdbc, Clock clock, LogoutQueue queue, RealmLogins logins, RealmRegistry realms,
			ApplicationEventPublisher events, TransactionTemplate transactions, RealmClientRepository clients) {
		this.clients = clients;
		this.jdbc = jdbc;
		this.clock = clock;
		this.queue = queue;
		this.logins = logins;
		this.realms = realms;
		this.events = events;
		this.transactions = transactions;
	}

	/** The {@code sid} of a realm session, as the authorization server computes it for ID tokens. */
	static String sid(String sessionId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@EventListener
	void onLogin(RealmLoginEvent event) {
		RealmPrincipal principal = event.principal();
		this.jdbc.sql("""
				insert into realm_session (realm, session_id, sid, subject, username, started_at, authenticated_at,
				  last_used_at, user_agent, ip_address)
				values (:realm, :session, :sid, :subject, :username, :at, :at, :at, :agent, :ip)
				on conflict (realm, session_id) do update set authenticated_at = excluded.authenticated_at,
				  last_used_at = excluded.last_used_at, user_agent = excluded.user_agent, ip_address = excluded.ip_address
				""")
			.param("realm", principal.realm())
			.param("session", principal.sessionId())
			.param("sid", sid(principal.sessionId()))
			.param("subject", principal.subject())
			.param("username", principal.username())
			.param("at", Timestamp.from(event.authTime()))
			.param("agent", truncate(event.userAgent(), AuditEvent.USER_AGENT_LENGTH))
			.param("ip", truncate(event.ipAddress(), 64))
			.update();
	}

	@EventListener
	void onLoginUsed(RealmLoginUsedEvent event) {
		this.jdbc.sql("""
				update realm_session set last_used_at = greatest(last_used_at, :at)
				where realm = :realm and session_id = :session
				""")
			.param("at", Timestamp.from(event.at()))
			.param("realm", event.principal().realm())
			.param("session", event.principal().sessionId())
			.update();
	}

	/**
	 * Remembers the client as one to tell when the session ends. A session that started
	 * before sessions were recorded is recorded now, without its browser. Tokens are no use
	 * of the login: a client refreshing in the background keeps no idle session alive.
	 */
	@EventListener
	@Transactional
	void onTokensIssued(ClientTokensIssuedEvent event) {
		RealmPrincipal principal = event.login().getPrincipal();
		Timestamp now = Timestamp.from(this.clock.instant());
		this.jdbc.sql("""
				insert into realm_session (realm, session_id, sid, subject, username, started_at, authenticated_at,
				  last_used_at)
				values (:realm, :session, :sid, :subject, :username, :authTime, :authTime, :now)
				on conflict (realm, session_id) do nothing
				""")
			.param("realm", event.realm())
			.param("session", principal.sessionId())
			.param("sid", sid(principal.sessionId()))
			.param("subject", principal.subject())
			.param("username", principal.username())
			.param("authTime", Timestamp.from(event.login().authTime()))
			.param("now", now)
			.update();
		this.jdbc.sql("""
				insert into realm_session_client (realm, session_id, client_id, issuer, first_issued_at, last_issued_at)
				values (:realm, :session, :client, :issuer, :now, :now)
				on conflict (realm, session_id, client_id) do update set issuer = excluded.issuer,
				  last_issued_at = excluded.last_issued_at
				""")
			.param("realm", event.realm())
			.param("session", principal.sessionId())
			.param("client", event.clientId())
			.param("issuer", event.issuer())
			.param("now", now)
			.update();
	}

	/**
	 * Every way a session ends comes here (the others publish this event): its clients are
	 * told, from the server, and when the user logged out in this browser also through it
	 * (front-channel frames, see {@link RealmLogins#LOGOUT_FRAMES}).
	 */
	@EventListener
	@Transactional
	void onLogout(RealmLogoutEvent event) {
		RealmPrincipal principal = event.principal();
		if (RealmLogoutEvent.USER.equals(event.reason())
				&& RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
			List<LogoutFrame> frames = frames(principal);
			if (!frames.isEmpty()) {
				request.getRequest().setAttribute(RealmLogins.LOGOUT_FRAMES, frames);
			}
		}
		this.queue.enqueue(principal.realm(), List.of(principal.sessionId()), event.reason());
		this.jdbc.sql("delete from realm_session where realm = :realm and session_id = :session")
			.param("realm", principal.realm())
			.param("session", principal.sessionId())
			.update();
	}

	/**
	 * The front-channel logout URIs of the session's clients, with {@code iss} (the issuer
	 * their tokens named) and {@code sid} (Front-Channel Logout 1.0, 3).
	 */
	private List<LogoutFrame> frames(RealmPrincipal principal) {
		String sid = sid(principal.sessionId());
		List<LogoutFrame> frames = new ArrayList<>();
		this.jdbc.sql("""
				select client_id, issuer from realm_session_client where realm = :realm and session_id = :session
				order by client_id
				""")
			.param("realm", principal.realm())
			.param("session", principal.sessionId())
			.query((rs) -> {
				String issuer = rs.getString("issuer");
				this.clients.definition(principal.realm(), rs.getString("client_id"))
					.filter((client) -> client.frontchannelLogoutUri() != null)
					.ifPresent((client) -> frames.add(new LogoutFrame(client.name(),
							UriComponentsBuilder.fromUriString(client.frontchannelLogoutUri())
								.queryParam("iss", "{iss}")
								.queryParam("sid", "{sid}")
								.encode()
								.buildAndExpand(Map.of("iss", issuer, "sid", sid))
								.toUriString())));
			});
		return frames;
	}

	/**
	 * A disabled account (a leaver on the transfer date too) keeps no session: its clients
	 * are told in the transaction that disables it (its logins and grants end there as well).
	 */
	@EventListener
	void onAccountDisabled(AccountDisabledEvent event) {
		List<String> sessionIds = this.jdbc
			.sql("select session_id from realm_session where realm = :realm and subject = :subject for update")
			.param("realm", event.realm())
			.param("subject", event.subject())
			.query(String.class)
			.list();
		this.queue.enqueue(event.realm(), sessionIds, ACCOUNT_DISABLED);
		this.jdbc.sql("delete from realm_session where realm = :realm and session_id = any(:sessions)")
			.param("realm", event.realm())
			.param("sessions", sessionIds.toArray(String[]::new))
			.update();
	}

	/** Logout tokens waiting to be sent (or sent again), per realm, counted in the database. */
	public Map<String, Long> waitingLogoutsByRealm() {
		return this.queue.sizeByRealm();
	}

	/** The account's sessions in the realm, the most recently used first. */
	public List<SessionView> list(String realm, String subject) {
		Map<String, SessionView> sessions = new LinkedHashMap<>();
		this.jdbc.sql("""
				select s.sid, s.started_at, s.authenticated_at, s.last_used_at, s.user_agent, s.ip_address, c.client_id
				from realm_session s left join realm_session_client c
				  on c.realm = s.realm and c.session_id = s.session_id
				where s.realm = :realm and s.subject = :subject
				order by s.last_used_at desc, s.sid, c.client_id
				""")
			.param("realm", realm)
			.param("subject", subject)
			.query((rs) -> {
				String sid = rs.getString("sid");
				if (!sessions.containsKey(sid)) {
					sessions.put(sid, new SessionView(sid, rs.getTimestamp("started_at").toInstant(),
							rs.getTimestamp("authenticated_at").toInstant(), rs.getTimestamp("last_used_at").toInstant(),
							rs.getString("user_agent"), rs.getString("ip_address"), new ArrayList<>()));
				}
				if (rs.getString("client_id") != null) {
					sessions.get(sid).clients().add(rs.getString("client_id"));
				}
			});
		return List.copyOf(sessions.values());
	}

	/**
	 * Ends one session of the account (found by its {@code sid}) as a logout: the browser
	 * holding it is logged out of the realm, its grants end and its clients are told. Runs
	 * in the caller's transaction, or its own.
	 * @return whether the account had that session
	 */
	@Transactional
	public boolean end(String realm, String subject, String sid, String reason) {
		return endWhere(realm, subject, sid, null, reason) > 0;
	}

	/** Ends every session of the account in the realm, like {@link #end}; returns how many. */
	@Transactional
	public int endAll(String realm, String subject, String reason) {
		return endWhere(realm, subject, null, null, reason);
	}

	/**
	 * Ends every session of the login's account but that login's own (the person's "log out
	 * my other devices"), like {@link #end}; returns how many.
	 */
	@Transactional
	public int endOthers(RealmPrincipal keeping, String reason) {
		return endWhere(keeping.realm(), keeping.subject(), null, keeping.sessionId(), reason);
	}

	/** The {@code sid} by which lists, ID tokens and logout tokens name this login's session. */
	public String sidOf(RealmPrincipal login) {
		return sid(login.sessionId());
	}

	/**
	 * Ends the account's sessions: the one named by {@code sid} or all, but the one kept.
	 * @param sid the session to end, or {@code null} for every one
	 * @param keepingSession the realm session id not to end, or {@code null}
	 */
	private int endWhere(String realm, String subject, String sid, String keepingSession, String reason) {
		List<RealmPrincipal> ended = this.jdbc.sql("""
				select session_id, username from realm_session
				where realm = :realm and subject = :subject and (cast(:sid as varchar) is null or sid = :sid)
				  and (cast(:keeping as varchar) is null or session_id <> :keeping)
				for update
				""")
			.param("realm", realm)
			.param("subject", subject)
			.param("sid", sid)
			.param("keeping", keepingSession)
			.query((rs, n) -> new RealmPrincipal(realm, subject, rs.getString("username"), rs.getString("session_id")))
			.list();
		end(realm, subject, ended, reason);
		return ended.size();
	}

	private void end(String realm, String subject, List<RealmPrincipal> sessions, String reason) {
		if (sessions.isEmpty()) {
			return;
		}
		this.logins.endElsewhere(realm, subject, sessions.stream().map(RealmPrincipal::sessionId).toList());
		sessions.forEach((principal) -> this.events.publishEvent(new RealmLogoutEvent(principal, reason)));
	}

	/**
	 * Ends the sessions past their realm's lifetime or idle timeout as a logout (browser,
	 * grants, clients told), whichever replica finds them first; a batch per transaction.
	 */
	@Scheduled(fixedDelayString = "${hitotsu.logout.expiry-interval:1m}",
			initialDelayString = "${hitotsu.logout.expiry-interval:1m}")
	void expire() {
		for (Realm realm : this.realms.all()) {
			int ended;
			do {
				ended = this.transactions.execute((status) -> expireBatch(realm));
			}
			while (ended == EXPIRY_BATCH);
		}
	}

	int expireBatch(Realm realm) {
		Instant now = this.clock.instant();
		List<RealmPrincipal> expired = this.jdbc.sql("""
				select session_id, subject, username from realm_session
				where realm = :realm and (authenticated_at < :startedBefore or last_used_at < :usedBefore)
				order by last_used_at limit :limit for update skip locked
				""")
			.param("realm", realm.name())
			.param("startedBefore", Timestamp.from(now.minus(realm.login().sessionLifetime())))
			.param("usedBefore", Timestamp.from(now.minus(realm.login().sessionIdleTimeout())))
			.param("limit", EXPIRY_BATCH)
			.query((rs, n) -> new RealmPrincipal(realm.name(), rs.getString("subject"), rs.getString("username"),
					rs.getString("session_id")))
			.list();
		for (RealmPrincipal principal : expired) {
			end(realm.name(), principal.subject(), List.of(principal), EXPIRED);
		}
		return expired.size();
	}

	private static String truncate(String value, int length) {
		return (value != null && value.length() > length) ? value.substring(0, length) : value;
	}

	/**
	 * A session as the admin API shows it.
	 * @param sid the session's id as its ID tokens and logout tokens name it
	 * @param authenticatedAt the latest authentication in it (a step-up keeps the session)
	 * @param lastUsedAt the latest login or use of the login (as its idle timeout counts it)
	 * @param clients the clients that got tokens in it
	 */
	public record SessionView(String sid, Instant startedAt, Instant authenticatedAt, Instant lastUsedAt,
			String userAgent, String ipAddress, List<String> clients) {
	}

}
