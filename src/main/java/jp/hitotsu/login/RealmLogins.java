package jp.hitotsu.login;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.Realm;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * Starts and ends a browser's login to one realm.
 */
@Service
public class RealmLogins {

	private final RealmSecurityContextRepository contexts;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	RealmLogins(RealmSecurityContextRepository contexts, ApplicationEventPublisher events, Clock clock) {
		this.contexts = contexts;
		this.events = events;
		this.clock = clock;
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

	/** Ends the login to this realm only; the browser stays logged in to other realms. */
	public void end(HttpServletRequest request, Realm realm) {
		Optional<RealmAuthentication> login = this.contexts.current(request, realm);
		this.contexts.remove(request, realm);
		SecurityContextHolder.clearContext();
		login.ifPresent((authentication) -> this.events.publishEvent(new RealmLogoutEvent(authentication.getPrincipal())));
	}

}
