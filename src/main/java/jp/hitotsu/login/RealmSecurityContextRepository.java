package jp.hitotsu.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Keeps one login per realm in the browser's session: being logged in to {@code staff}
 * means nothing to {@code citizen}. Each realm's login sits under its own session
 * attribute; the session itself lives in PostgreSQL (Spring Session JDBC), so any
 * instance continues a login another one started.
 *
 * <p>
 * A login past the realm's session lifetime or idle timeout reads as no login. Disabling an
 * account, an administrator or expiry end logins from elsewhere ({@link LoginsElsewhere}).
 */
@Component
public class RealmSecurityContextRepository implements SecurityContextRepository {

	static final String CONTEXT_ATTRIBUTE = "hitotsu.login.";

	private static final String LAST_SEEN_ATTRIBUTE = "hitotsu.login-seen.";

	/**
	 * Names the account logged in, so that its logins can be found by attribute name
	 * (attribute values are serialized and cannot be searched) when it is disabled.
	 */
	private static final String ACCOUNT_ATTRIBUTE = "hitotsu.login-account.";

	/**
	 * Names the realm session ({@link RealmPrincipal#sessionId()}) a browser session holds,
	 * so that one login can be ended from elsewhere (an administrator, expiry).
	 */
	private static final String SESSION_ATTRIBUTE = "hitotsu.login-session.";

	/** Idle tracking writes to the session at most this often. */
	private static final Duration LAST_SEEN_RESOLUTION = Duration.ofSeconds(30);

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	private final Clock clock;

	private final ApplicationEventPublisher events;

	RealmSecurityContextRepository(Clock clock, ApplicationEventPublisher events) {
		this.clock = clock;
		this.events = events;
	}

	@Override
	@Deprecated
	public SecurityContext loadContext(HttpRequestResponseHolder requestResponseHolder) {
		return loadDeferredContext(requestResponseHolder.getRequest()).get();
	}

	@Override
	public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
		Supplier<Optional<SecurityContext>> stored = () -> RealmContext.current()
			.flatMap((realm) -> readValid(request, realm));
		return new DeferredSecurityContext() {

			private SecurityContext context;

			private boolean generated;

			@Override
			public SecurityContext get() {
				if (this.context == null) {
					Optional<SecurityContext> found = stored.get();
					this.generated = found.isEmpty();
					this.context = found.orElseGet(RealmSecurityContextRepository.this.holder::createEmptyContext);
				}
				return this.context;
			}

			@Override
			public boolean isGenerated() {
				get();
				return this.generated;
			}

		};
	}

	@Override
	public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
		Optional<Realm> realm = RealmContext.current();
		if (realm.isEmpty() || !(context.getAuthentication() instanceof RealmAuthentication)) {
			// only realm logins are kept; client and bearer authentications are per request
			return;
		}
		HttpSession session = request.getSession();
		RealmPrincipal principal = ((RealmAuthentication) context.getAuthentication()).getPrincipal();
		RealmPrincipal previous = previousPrincipal(session, realm.get());
		if (previous != null && !previous.subject().equals(principal.subject())) {
			session.removeAttribute(accountAttribute(realm.get().name(), previous.subject()));
		}
		if (previous != null && !previous.sessionId().equals(principal.sessionId())) {
			session.removeAttribute(sessionAttribute(realm.get().name(), previous.sessionId()));
		}
		session.setAttribute(accountAttribute(realm.get().name(), principal.subject()), Boolean.TRUE);
		session.setAttribute(sessionAttribute(realm.get().name(), principal.sessionId()), Boolean.TRUE);
		session.setAttribute(CONTEXT_ATTRIBUTE + realm.get().name(), context);
		session.setAttribute(LAST_SEEN_ATTRIBUTE + realm.get().name(), this.clock.instant());
	}

	@Override
	public boolean containsContext(HttpServletRequest request) {
		return RealmContext.current().flatMap((realm) -> readValid(request, realm)).isPresent();
	}

	/** Forgets the login to the realm of this request; other realms stay logged in. */
	void remove(HttpServletRequest request, Realm realm) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			RealmPrincipal previous = previousPrincipal(session, realm);
			if (previous != null) {
				session.removeAttribute(accountAttribute(realm.name(), previous.subject()));
				session.removeAttribute(sessionAttribute(realm.name(), previous.sessionId()));
			}
			session.removeAttribute(CONTEXT_ATTRIBUTE + realm.name());
			session.removeAttribute(LAST_SEEN_ATTRIBUTE + realm.name());
		}
	}

	/** The names of the attributes of an account's login to a realm, the last one its mark. */
	static List<String> loginAttributes(String realm, String subject) {
		return List.of(CONTEXT_ATTRIBUTE + realm, LAST_SEEN_ATTRIBUTE + realm, accountAttribute(realm, subject));
	}

	private static String accountAttribute(String realm, String subject) {
		return ACCOUNT_ATTRIBUTE + realm + "." + subject;
	}

	/** The mark of one realm session in the browser session that holds it. */
	static String sessionAttribute(String realm, String sessionId) {
		return SESSION_ATTRIBUTE + realm + "." + sessionId;
	}

	private static RealmPrincipal previousPrincipal(HttpSession session, Realm realm) {
		return (session.getAttribute(CONTEXT_ATTRIBUTE + realm.name()) instanceof SecurityContext context
				&& context.getAuthentication() instanceof RealmAuthentication login) ? login.getPrincipal() : null;
	}

	Optional<RealmAuthentication> current(HttpServletRequest request, Realm realm) {
		return readValid(request, realm).map((context) -> (RealmAuthentication) context.getAuthentication());
	}

	private Optional<SecurityContext> readValid(HttpServletRequest request, Realm realm) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return Optional.empty();
		}
		if (!(session.getAttribute(CONTEXT_ATTRIBUTE + realm.name()) instanceof SecurityContext context)
				|| !(context.getAuthentication() instanceof RealmAuthentication login)
				|| !login.getPrincipal().realm().equals(realm.name())) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		Instant lastSeen = (session.getAttribute(LAST_SEEN_ATTRIBUTE + realm.name()) instanceof Instant seen) ? seen
				: login.authTime();
		boolean tooOld = login.authTime().plus(realm.login().sessionLifetime()).isBefore(now);
		boolean idle = lastSeen.plus(realm.login().sessionIdleTimeout()).isBefore(now);
		if (tooOld || idle) {
			remove(request, realm);
			return Optional.empty();
		}
		if (lastSeen.plus(LAST_SEEN_RESOLUTION).isBefore(now)) {
			session.setAttribute(LAST_SEEN_ATTRIBUTE + realm.name(), now);
			this.events.publishEvent(new RealmLoginUsedEvent(login.getPrincipal(), now));
		}
		return Optional.of(context);
	}

}
