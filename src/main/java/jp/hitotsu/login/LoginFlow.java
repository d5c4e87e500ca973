package jp.hitotsu.login;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jp.hitotsu.account.Identity;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.Realm;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Service;

/**
 * Takes a login from its first factor to completion, one step at a time: a new password
 * when the current one is temporary, a second factor when the level asked for is not
 * reached, an enrolment when the account has no second factor yet. Each step's page
 * proves something and hands back to {@link #next}, which says where the browser goes
 * now. Only when every step is done does the login start (and a token become possible).
 */
@Service
public class LoginFlow {

	private static final String PENDING_ATTRIBUTE = "hitotsu.pending-login.";

	private static final String REQUIRED_LEVEL_ATTRIBUTE = "hitotsu.required-level.";

	private static final String REAUTHENTICATING_ATTRIBUTE = "hitotsu.reauthenticating.";

	/** Wrong second-factor codes a pending login survives; then the password is asked again. */
	static final int MAX_FACTOR_FAILURES = 5;

	private final RealmLogins logins;

	private final RealmRequestCache requestCache;

	private final Clock clock;

	private final AuditTrail audit;

	private final ObjectProvider<LoginListener> listeners;

	LoginFlow(RealmLogins logins, RealmRequestCache requestCache, AuditTrail audit, Clock clock,
			ObjectProvider<LoginListener> listeners) {
		this.listeners = listeners;
		this.logins = logins;
		this.requestCache = requestCache;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Starts a login with its first proven factors (the password; or a passkey with user
	 * verification) and answers where the browser goes next (a {@code redirect:} view
	 * name).
	 */
	public String begin(HttpServletRequest request, HttpServletResponse response, Realm realm, Identity identity,
			Set<Factor> first, boolean passwordChangeRequired) {
		return begin(request, response, realm, identity, first, passwordChangeRequired, null);
	}

	/**
	 * Starts a login proven at an upstream OpenID provider, at the level the realm file
	 * says a login there counts as; a realm or client that asks for more gets the missing
	 * factor asked for here, as after a password.
	 */
	public String beginUpstream(HttpServletRequest request, HttpServletResponse response, Realm realm,
			Identity identity, AssuranceLevel proven) {
		return begin(request, response, realm, identity, Set.of(Factor.UPSTREAM), false, proven);
	}

	private String begin(HttpServletRequest request, HttpServletResponse response, Realm realm, Identity identity,
			Set<Factor> first, boolean passwordChangeRequired, AssuranceLevel upstreamLevel) {
		HttpSession session = request.getSession();
		// the same person logging in again (prompt=login, max_age) keeps the realm session
		String sessionId = (session.getAttribute(REAUTHENTICATING_ATTRIBUTE + realm.name()) instanceof RealmPrincipal earlier
				&& earlier.subject().equals(identity.subject())) ? earlier.sessionId() : null;
		session.removeAttribute(REAUTHENTICATING_ATTRIBUTE + realm.name());
		PendingLogin pending = new PendingLogin(realm.name(), identity.subject(), identity.username(), first,
				requiredLevel(request, realm).key(), passwordChangeRequired, this.clock.instant(), sessionId, 0,
				upstreamLevel);
		return next(request, response, realm, pending);
	}

	/**
	 * Asks for a fresh login although one exists ({@code prompt=login}, or older than the
	 * request's {@code max_age}). The current login stops counting now; tokens already
	 * issued stay valid, and the same person logging in again keeps the realm session.
	 * @return where the browser goes: the realm's login page
	 */
	public String reauthenticate(HttpServletRequest request, Realm realm, RealmAuthentication current) {
		this.logins.forget(request, realm);
		request.getSession().setAttribute(REAUTHENTICATING_ATTRIBUTE + realm.name(), current.getPrincipal());
		return "/realms/" + realm.name() + "/login";
	}

	/** Starts a login with one proven factor (the password). */
	public String begin(HttpServletRequest request, HttpServletResponse response, Realm realm, Identity identity,
			Factor first, boolean passwordChangeRequired) {
		return begin(request, response, realm, identity, Set.of(first), passwordChangeRequired);
	}

	/**
	 * Records the level the authorization request being served asks for (its client's
	 * minimum or its {@code acr_values}), for the login it leads to.
	 */
	public void require(HttpServletRequest request, Realm realm, AssuranceLevel level) {
		HttpSession session = request.getSession();
		// the session is stored in PostgreSQL: write only what changed
		if (session.getAttribute(REQUIRED_LEVEL_ATTRIBUTE + realm.name()) != level) {
			session.setAttribute(REQUIRED_LEVEL_ATTRIBUTE + realm.name(), level);
		}
	}

	/**
	 * Raises a completed login to a higher level: only the missing factors are asked for,
	 * and the realm session ({@code sid}) stays the same.
	 */
	public String stepUp(HttpServletRequest request, Realm realm, RealmAuthentication current,
			AssuranceLevel required) {
		RealmPrincipal principal = current.getPrincipal();
		PendingLogin pending = new PendingLogin(realm.name(), principal.subject(), principal.username(),
				current.factors(), required.key(), false, this.clock.instant(), principal.sessionId(), 0,
				current.level());
		keep(request, realm, pending);
		return "/realms/" + realm.name() + "/login/second-factor";
	}

	/** The login in progress in this realm, if any. */
	public Optional<PendingLogin> pending(HttpServletRequest request, Realm realm) {
		HttpSession session = request.getSession(false);
		if (session != null && session.getAttribute(PENDING_ATTRIBUTE + realm.name()) instanceof PendingLogin pending) {
			return Optional.of(pending);
		}
		return Optional.empty();
	}

	/**
	 * Records a factor proven without moving on (an enrolment that shows recovery codes
	 * before continuing); {@link #resume} continues.
	 */
	public void record(HttpServletRequest request, Realm realm, Factor factor) {
		PendingLogin pending = pending(request, realm).orElseThrow(() -> new NoPendingLoginException(realm));
		keep(request, realm, pending.with(factor));
	}

	/** Continues the pending login where it stands. */
	public String resume(HttpServletRequest request, HttpServletResponse response, Realm realm) {
		PendingLogin pending = pending(request, realm).orElseThrow(() -> new NoPendingLoginException(realm));
		return next(request, response, realm, pending);
	}

	/**
	 * Counts a wrong second factor. After {@value #MAX_FACTOR_FAILURES} the pending login
	 * is dropped, so codes cannot be guessed on one password.
	 * @return whether the pending login survives
	 */
	public boolean factorFailed(HttpServletRequest request, Realm realm) {
		Optional<PendingLogin> pending = pending(request, realm);
		if (pending.isEmpty()) {
			return false;
		}
		PendingLogin failed = pending.get().withFailure();
		if (failed.factorFailures() >= MAX_FACTOR_FAILURES) {
			abandon(request, realm);
			return false;
		}
		keep(request, realm, failed);
		return true;
	}

	/** Records one more factor proven in the pending login and answers the next step. */
	public String proven(HttpServletRequest request, HttpServletResponse response, Realm realm, Factor... factors) {
		PendingLogin pending = pending(request, realm).orElseThrow(() -> new NoPendingLoginException(realm));
		for (Factor factor : factors) {
			pending = pending.with(factor);
		}
		return next(request, response, realm, pending);
	}

	/** Records that the temporary password was replaced and answers the next step. */
	public String passwordChanged(HttpServletRequest request, HttpServletResponse response, Realm realm) {
		PendingLogin pending = pending(request, realm).orElseThrow(() -> new NoPendingLoginException(realm));
		return next(request, response, realm, pending.withPasswordChanged());
	}

	/** Abandons the pending login of this realm (the user cancelled, or it failed). */
	public void abandon(HttpServletRequest request, Realm realm) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.removeAttribute(PENDING_ATTRIBUTE + realm.name());
		}
	}

	private String next(HttpServletRequest request, HttpServletResponse response, Realm realm,
			PendingLogin pending) {
		if (pending.passwordChangeRequired()) {
			keep(request, realm, pending);
			return "redirect:/realms/" + realm.name() + "/login/new-password";
		}
		AssuranceLevel required = AssuranceLevel.fromKey(pending.requiredLevel()).orElseThrow();
		if (!reached(pending).atLeast(required)) {
			keep(request, realm, pending);
			return "redirect:/realms/" + realm.name() + "/login/second-factor";
		}
		abandon(request, realm);
		request.getSession().removeAttribute(REQUIRED_LEVEL_ATTRIBUTE + realm.name());
		AssuranceLevel level = reached(pending);
		RealmAuthentication login = this.logins.start(request, response, realm, pending, level);
		this.audit.record(AuditEvent.of(realm.name(), AuditEventType.LOGIN)
			.subject(pending.subject())
			.username(pending.username())
			.ipAddress(request.getRemoteAddr())
			.session(login.getPrincipal().sessionId())
			.detail("acr", login.acr())
			.detail("amr", login.amr())
			.detail("step_up", pending.sessionId() != null)
			.build());
		this.listeners.orderedStream().forEach((listener) -> listener.loggedIn(request, realm, login));
		SavedRequest saved = this.requestCache.getRequest(request, response);
		if (saved != null) {
			this.requestCache.removeRequest(request, response);
			return "redirect:" + saved.getRedirectUrl();
		}
		return "redirect:/realms/" + realm.name() + "/login";
	}

	/** The level a login started now must reach: the realm's, or more if the request asked. */
	private static AssuranceLevel requiredLevel(HttpServletRequest request, Realm realm) {
		HttpSession session = request.getSession(false);
		if (session != null && session.getAttribute(REQUIRED_LEVEL_ATTRIBUTE + realm.name()) instanceof AssuranceLevel asked) {
			return AssuranceLevel.max(asked, realm.login().level());
		}
		return realm.login().level();
	}

	private void keep(HttpServletRequest request, Realm realm, PendingLogin pending) {
		request.getSession().setAttribute(PENDING_ATTRIBUTE + realm.name(), pending);
	}

	/** The level a pending login reached: its factors', or its upstream provider's if higher. */
	static AssuranceLevel reached(PendingLogin pending) {
		AssuranceLevel factors = reached(pending.factors());
		return (pending.upstreamLevel() != null) ? AssuranceLevel.max(factors, pending.upstreamLevel()) : factors;
	}

	/**
	 * The level the proven factors reach: a passkey with user verification is two factors
	 * in one; a passkey with any other factor is phishing-resistant multi-factor.
	 */
	static AssuranceLevel reached(Set<Factor> factors) {
		boolean passkey = factors.contains(Factor.PASSKEY);
		boolean secondFactor = factors.contains(Factor.TOTP) || factors.contains(Factor.RECOVERY_CODE);
		// a login at an upstream provider stands where the password would
		boolean firstFactor = factors.contains(Factor.PASSWORD) || factors.contains(Factor.UPSTREAM);
		int count = (firstFactor ? 1 : 0) + (secondFactor ? 1 : 0) + (passkey ? 1 : 0)
				+ (factors.contains(Factor.USER_VERIFICATION) ? 1 : 0);
		if (passkey && count >= 2) {
			return AssuranceLevel.AAL3;
		}
		return (count >= 2) ? AssuranceLevel.AAL2 : AssuranceLevel.AAL1;
	}

	/** A step of a login was posted, but no login of that realm is in progress here. */
	public static class NoPendingLoginException extends IllegalStateException {

		NoPendingLoginException(Realm realm) {
			super("No login to realm '" + realm.name() + "' is in progress in this browser");
		}

	}

}
