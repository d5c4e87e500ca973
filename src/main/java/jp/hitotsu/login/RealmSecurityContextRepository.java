package jp.hitotsu.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

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
 * A login past the realm's session lifetime or idle timeout, or of an account disabled
 * since (an administrator, a leaver, a full directory bundle), reads as no login.
 */
@Component
public class RealmSecurityContextRepository implements SecurityContextRepository {

	static final String CONTEXT_ATTRIBUTE = "hitotsu.login.";

	private static final String LAST_SEEN_ATTRIBUTE = "hitotsu.login-seen.";

	/** Idle tracking writes to the session at most this often. */
	private static final Duration LAST_SEEN_RESOLUTION = Duration.ofSeconds(30);

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	/** Request attribute that remembers, for one request, that the account is still enabled. */
	private static final String ENABLED_ATTRIBUTE = "hitotsu.login-enabled.";

	private final Clock clock;

	private final AccountService accounts;

	RealmSecurityContextRepository(Clock clock, AccountService accounts) {
		this.clock = clock;
		this.accounts = accounts;
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
			session.removeAttribute(CONTEXT_ATTRIBUTE + realm.name());
			session.removeAttribute(LAST_SEEN_ATTRIBUTE + realm.name());
		}
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
		if (tooOld || idle || !stillEnabled(request, realm, login)) {
			remove(request, realm);
			return Optional.empty();
		}
		if (lastSeen.plus(LAST_SEEN_RESOLUTION).isBefore(now)) {
			session.setAttribute(LAST_SEEN_ATTRIBUTE + realm.name(), now);
		}
		return Optional.of(context);
	}

	/**
	 * Whether the account behind a login may still use it: disabling an account ends its
	 * logins in every browser at their next request. Read once per request.
	 */
	private boolean stillEnabled(HttpServletRequest request, Realm realm, RealmAuthentication login) {
		String key = ENABLED_ATTRIBUTE + realm.name();
		if (request.getAttribute(key) instanceof Boolean enabled) {
			return enabled;
		}
		boolean enabled = this.accounts.find(realm.name(), login.getPrincipal().subject())
			.map(Identity::enabled)
			.orElse(false);
		request.setAttribute(key, enabled);
		return enabled;
	}

}
