package jp.hitotsu.selfservice;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.login.RealmRequestCache;
import jp.hitotsu.realm.Realm;

import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What every page of the account console needs: the logged-in owner (or the way to the
 * login and back), and what its navigation and dates show.
 */
@Component
class AccountPages {

	private final RealmLogins logins;

	private final RealmRequestCache requestCache;

	private final AccountService accounts;

	private final AccountConsoleProperties properties;

	AccountPages(RealmLogins logins, RealmRequestCache requestCache, AccountService accounts,
			AccountConsoleProperties properties) {
		this.logins = logins;
		this.requestCache = requestCache;
		this.accounts = accounts;
		this.properties = properties;
	}

	/** The account logged in to the realm, or empty when nobody is. */
	Optional<Identity> owner(HttpServletRequest request, Realm realm) {
		return this.logins.current(request, realm)
			.map(RealmAuthentication::getName)
			.flatMap((subject) -> this.accounts.find(realm.name(), subject));
	}

	/**
	 * Remembers the page asked for, so that the login comes back to it, and answers the
	 * login's redirect. For GET pages only: a form posted after the login ended is not
	 * replayed.
	 */
	String loginFirst(HttpServletRequest request, HttpServletResponse response, Realm realm) {
		this.requestCache.saveRequest(request, response);
		return toLogin(realm);
	}

	static String toLogin(Realm realm) {
		return "redirect:/realms/" + realm.name() + "/login";
	}

	/** The owner (for the navigation's "logged in as") and the zone the page's dates are in. */
	void describe(Model model, Identity owner) {
		model.addAttribute("owner", owner);
		model.addAttribute("zone", this.properties.timeZone());
	}

}
