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
import jp.hitotsu.realm.RealmContext;

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
	 * A page for the account logged in to the request's realm; someone not logged in is sent
	 * to the login, which comes back to this page.
	 */
	String show(HttpServletRequest request, HttpServletResponse response, OwnerPage page) {
		Realm realm = RealmContext.require();
		Optional<Identity> owner = owner(request, realm);
		if (owner.isEmpty()) {
			this.requestCache.saveRequest(request, response);
			return toLogin(realm);
		}
		return page.answer(realm, owner.get());
	}

	/**
	 * A form posted by the account logged in to the request's realm. When the login ended
	 * while the form was open, the person logs in again; what was posted is not replayed.
	 */
	String handle(HttpServletRequest request, OwnerPage action) {
		Realm realm = RealmContext.require();
		return owner(request, realm).map((owner) -> action.answer(realm, owner)).orElseGet(() -> toLogin(realm));
	}

	private static String toLogin(Realm realm) {
		return "redirect:/realms/" + realm.name() + "/login";
	}

	/** What a page or form answers for the logged-in owner: a view name or a redirect. */
	@FunctionalInterface
	interface OwnerPage {

		String answer(Realm realm, Identity owner);

	}

	/** The owner (for the navigation's "logged in as") and the zone the page's dates are in. */
	void describe(Model model, Identity owner) {
		model.addAttribute("owner", owner);
		model.addAttribute("zone", this.properties.timeZone());
	}

}
