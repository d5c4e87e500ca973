package jp.hitotsu.login;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jp.hitotsu.account.Identity;
import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.Realm;

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

	private final RealmLogins logins;

	private final RealmRequestCache requestCache;

	private final Clock clock;

	LoginFlow(RealmLogins logins, RealmRequestCache requestCache, Clock clock) {
		this.logins = logins;
		this.requestCache = requestCache;
		this.clock = clock;
	}

	/**
	 * Starts a login with its first proven factor and answers where the browser goes next
	 * (a {@code redirect:} view name).
	 */
	public String begin(HttpServletRequest request, HttpServletResponse response, Realm realm, Identity identity,
			Factor first, boolean passwordChangeRequired) {
		PendingLogin pending = new PendingLogin(realm.name(), identity.subject(), identity.username(),
				EnumSet.of(first), realm.login().level().key(), passwordChangeRequired, this.clock.instant(), null);
		return next(request, response, realm, pending);
	}

	/** The login in progress in this realm, if any. */
	public Optional<PendingLogin> pending(HttpServletRequest request, Realm realm) {
		HttpSession session = request.getSession(false);
		if (session != null && session.getAttribute(PENDING_ATTRIBUTE + realm.name()) instanceof PendingLogin pending) {
			return Optional.of(pending);
		}
		return Optional.empty();
	}

	/** Records one more factor proven in the pending login and answers the next step. */
	public String proven(HttpServletRequest request, HttpServletResponse response, Realm realm, Factor factor) {
		PendingLogin pending = pending(request, realm).orElseThrow(() -> new NoPendingLoginException(realm));
		return next(request, response, realm, pending.with(factor));
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
		if (!reached(pending.factors()).atLeast(required)) {
			keep(request, realm, pending);
			return "redirect:/realms/" + realm.name() + "/login/second-factor";
		}
		abandon(request, realm);
		this.logins.start(request, response, realm, pending, reached(pending.factors()));
		SavedRequest saved = this.requestCache.getRequest(request, response);
		if (saved != null) {
			this.requestCache.removeRequest(request, response);
			return "redirect:" + saved.getRedirectUrl();
		}
		return "redirect:/realms/" + realm.name() + "/login";
	}

	private void keep(HttpServletRequest request, Realm realm, PendingLogin pending) {
		request.getSession().setAttribute(PENDING_ATTRIBUTE + realm.name(), pending);
	}

	/**
	 * The level the proven factors reach: a passkey with user verification is two factors
	 * in one; a passkey with any other factor is phishing-resistant multi-factor.
	 */
	static AssuranceLevel reached(Set<Factor> factors) {
		boolean passkey = factors.contains(Factor.PASSKEY);
		boolean secondFactor = factors.contains(Factor.TOTP) || factors.contains(Factor.RECOVERY_CODE);
		int count = (factors.contains(Factor.PASSWORD) ? 1 : 0) + (secondFactor ? 1 : 0) + (passkey ? 1 : 0)
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
