package jp.hitotsu.login;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.Identity;
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

	/** Records a password login; the session id changes so a planted one is useless. */
	RealmAuthentication start(HttpServletRequest request, HttpServletResponse response, Realm realm, Identity identity) {
		if (request.getSession(false) != null) {
			request.changeSessionId();
		}
		RealmPrincipal principal = new RealmPrincipal(realm.name(), identity.subject(), identity.username(),
				UUID.randomUUID().toString());
		RealmAuthentication authentication = new RealmAuthentication(principal, this.clock.instant(),
				realm.login().acrFor("aal1"), List.of("pwd"));
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
		return authentication;
	}

	public Optional<RealmAuthentication> current(HttpServletRequest request, Realm realm) {
		return this.contexts.current(request, realm);
	}

	/** Ends the login to this realm only; the browser stays logged in to other realms. */
	public void end(HttpServletRequest request, Realm realm) {
		Optional<RealmAuthentication> login = this.contexts.current(request, realm);
		this.contexts.remove(request, realm);
		SecurityContextHolder.clearContext();
		login.ifPresent((authentication) -> this.events.publishEvent(new RealmLogoutEvent(authentication.getPrincipal())));
	}

}
