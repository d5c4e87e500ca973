package jp.hitotsu.login;

import java.time.Clock;
import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.Realm;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * Starts and ends a browser's login to one realm.
 */
@Service
public class RealmLogins {

	/**
	 * Request attribute: the {@link LogoutFrame}s that features listening to the
	 * {@link RealmLogoutEvent} of this request ask the browser to load before it goes on.
	 */
	public static final String LOGOUT_FRAMES = "hitotsu.login.logout-frames";

	/** Browser session attribute (and the realm's name): frames and target of the frames page. */
	private static final String PENDING_FRAMES = "hitotsu.login.pending-logout-frames.";

	private final RealmSecurityContextRepository contexts;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final JdbcClient jdbc;

	private final LoginsElsewhere elsewhere;

	RealmLogins(RealmSecurityContextRepository contexts, ApplicationEventPublisher events, Clock clock,
			JdbcClient jdbc, LoginsElsewhere elsewhere) {
		this.contexts = contexts;
		this.elsewhere = elsewhere;
		this.events = events;
		this.clock = clock;
		this.jdbc = jdbc;
	}

	/**
	 * Browser sessions logged in to each realm, counted in the database (so across replicas):
	 * sessions that have not expired and hold a login to the realm. A login past its realm's
	 * own lifetime or idle timeout counts until its browser session expires or is used again.
	 */
	public Map<String, Long> activeSessionsByRealm() {
		Map<String, Long> sessions = new HashMap<>();
		this.jdbc.sql("""
				select substr(a.attribute_name, :from) as realm, count(*) as sessions
				from spring_session_attributes a join spring_session s on s.primary_id = a.session_primary_id
				where starts_with(a.attribute_name, :prefix) and s.expiry_time > :now
				group by a.attribute_name
				""")
			.param("from", RealmSecurityContextRepository.CONTEXT_ATTRIBUTE.length() + 1)
			.param("prefix", RealmSecurityContextRepository.CONTEXT_ATTRIBUTE)
			.param("now", this.clock.millis())
			.query((rs) -> {
				sessions.put(rs.getString("realm"), rs.getLong("sessions"));
			});
		return sessions;
	}

	/**
	 * Records a completed login (or step-up) at the level its factors reached; the session
	 * id changes so a planted one is useless. A step-up keeps the realm session
	 * ({@code sid}) it raised.
	 */
	RealmAuthentication start(HttpServletRequest request, HttpServletResponse response, Realm realm,
			PendingLogin pending, AssuranceLevel reached) {
		if (request.getSession(false) != null) {
			request.changeSessionId();
		}
		String sessionId = (pending.sessionId() != null) ? pending.sessionId() : UUID.randomUUID().toString();
		RealmPrincipal principal = new RealmPrincipal(realm.name(), pending.subject(), pending.username(), sessionId);
		RealmAuthentication authentication = new RealmAuthentication(principal, this.clock.instant(),
				realm.login().acrFor(reached), reached, pending.factors());
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
		this.events.publishEvent(new RealmLoginEvent(principal, authentication.authTime(),
				request.getHeader("User-Agent"), request.getRemoteAddr()));
		return authentication;
	}

	public Optional<RealmAuthentication> current(HttpServletRequest request, Realm realm) {
		return this.contexts.current(request, realm);
	}

	/** Drops the login of this browser to the realm without ending its session (re-authentication). */
	void forget(HttpServletRequest request, Realm realm) {
		this.contexts.remove(request, realm);
		SecurityContextHolder.clearContext();
	}

	/**
	 * Ends logins of an account to a realm in whichever browser sessions hold them, from
	 * outside those browsers (an administrator, expiry); their next request to the realm
	 * finds no login. The rest of those browser sessions, and their logins to other realms,
	 * stay.
	 * @param sessionIds the realm sessions ({@link RealmPrincipal#sessionId()}) to end;
	 * empty for every login of the account
	 */
	public void endElsewhere(String realm, String subject, java.util.Collection<String> sessionIds) {
		this.elsewhere.end(realm, subject, sessionIds);
	}

	/**
	 * Where the browser goes after {@link #end}: to the target, or first to the page that
	 * loads the clients' front-channel logout frames (which links on to the target) when the
	 * logout left some. The target was checked by the caller; it is kept in the browser's
	 * session, never taken from a request.
	 */
	public String afterLogout(HttpServletRequest request, Realm realm, String target) {
		if (request.getAttribute(LOGOUT_FRAMES) instanceof List<?> frames && !frames.isEmpty()) {
			List<LogoutFrame> pending = frames.stream().map(LogoutFrame.class::cast).toList();
			request.getSession().setAttribute(PENDING_FRAMES + realm.name(), new PendingFrames(pending, target));
			return "/realms/" + realm.name() + "/logout/frames";
		}
		return target;
	}

	/** The frames page's content, once: a reload finds none. */
	Optional<PendingFrames> takeFrames(HttpServletRequest request, Realm realm) {
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(PENDING_FRAMES + realm.name()) instanceof PendingFrames pending)) {
			return Optional.empty();
		}
		session.removeAttribute(PENDING_FRAMES + realm.name());
		return Optional.of(pending);
	}

	/** Ends the login to this realm only; the browser stays logged in to other realms. */
	public void end(HttpServletRequest request, Realm realm) {
		Optional<RealmAuthentication> login = this.contexts.current(request, realm);
		this.contexts.remove(request, realm);
		SecurityContextHolder.clearContext();
		login.ifPresent((authentication) -> this.events.publishEvent(new RealmLogoutEvent(authentication.getPrincipal())));
	}

	/** The frames to load at logout and where to go next. */
	record PendingFrames(List<LogoutFrame> frames, String next) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

}
