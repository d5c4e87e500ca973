package jp.hitotsu.selfservice;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.Passkeys;
import jp.hitotsu.account.TotpAuthenticators;
import jp.hitotsu.login.LoginFlow;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.login.RealmRequestCache;
import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.web.ErrorResponses;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * "Delete my account": only right after a fresh login (the password, and the second factor
 * when the account has one), then a confirmation. A login that is not fresh enough is sent
 * through the login again and comes back here.
 */
@Controller
class AccountDeletionController {

	/** How recent the login that confirms a deletion must be. */
	static final Duration REAUTHENTICATION_WINDOW = Duration.ofMinutes(5);

	private final RealmLogins logins;

	private final LoginFlow flow;

	private final RealmRequestCache requestCache;

	private final AccountService accounts;

	private final TotpAuthenticators totp;

	private final Passkeys passkeys;

	private final ErrorResponses errors;

	private final Clock clock;

	AccountDeletionController(RealmLogins logins, LoginFlow flow, RealmRequestCache requestCache,
			AccountService accounts, TotpAuthenticators totp, Passkeys passkeys, ErrorResponses errors, Clock clock) {
		this.errors = errors;
		this.logins = logins;
		this.flow = flow;
		this.requestCache = requestCache;
		this.accounts = accounts;
		this.totp = totp;
		this.passkeys = passkeys;
		this.clock = clock;
	}

	@GetMapping("/realms/{realmName}/account/delete")
	String page(HttpServletRequest request, HttpServletResponse response, Model model) throws IOException {
		Realm realm = RealmContext.require();
		if (!offered(realm, request, response)) {
			return null;
		}
		Optional<RealmAuthentication> login = this.logins.current(request, realm);
		Optional<Identity> account = login.flatMap((current) -> this.accounts.find(realm.name(), current.getName()));
		if (account.isEmpty()) {
			this.requestCache.saveRequest(request, response);
			return "redirect:/realms/" + realm.name() + "/login";
		}
		AssuranceLevel needed = levelNeeded(realm, account.get());
		if (!fresh(login.get(), needed)) {
			this.requestCache.saveRequest(request, response);
			this.flow.require(request, realm, needed);
			return "redirect:" + this.flow.reauthenticate(request, realm, login.get());
		}
		return confirmation(model, account.get(), false);
	}

	@PostMapping("/realms/{realmName}/account/delete")
	String delete(@RequestParam(name = "confirm", required = false) String confirm, HttpServletRequest request,
			HttpServletResponse response, Model model) throws IOException {
		Realm realm = RealmContext.require();
		if (!offered(realm, request, response)) {
			return null;
		}
		Optional<RealmAuthentication> login = this.logins.current(request, realm);
		Optional<Identity> account = login.flatMap((current) -> this.accounts.find(realm.name(), current.getName()));
		if (account.isEmpty() || !fresh(login.get(), levelNeeded(realm, account.get()))) {
			// the page asks for the login again
			return "redirect:/realms/" + realm.name() + "/account/delete";
		}
		if (confirm == null) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return confirmation(model, account.get(), true);
		}
		// the login ends first, so that its logout event is among those the deletion pseudonymises
		this.logins.end(request, realm);
		this.accounts.delete(realm.name(), account.get().subject(), request.getRemoteAddr());
		return "account-deleted";
	}

	/**
	 * Only where people create their own accounts: elsewhere (staff) accounts belong to
	 * the organisation and end through its administrators.
	 */
	private boolean offered(Realm realm, HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (realm.registration().enabled()) {
			return true;
		}
		this.errors.notFound(request, response, "delete.not-offered",
				"Realm '" + realm.name() + "' does not let people delete their own accounts", realm.name());
		return false;
	}

	/** Two factors when the account has a second one, whatever the realm asks of a login. */
	private AssuranceLevel levelNeeded(Realm realm, Identity account) {
		boolean secondFactor = this.totp.enrolled(account.id()) || this.passkeys.has(realm.name(), account.id());
		return secondFactor ? AssuranceLevel.max(AssuranceLevel.AAL2, realm.login().level()) : realm.login().level();
	}

	private boolean fresh(RealmAuthentication login, AssuranceLevel needed) {
		return login.level().atLeast(needed)
				&& login.authTime().plus(REAUTHENTICATION_WINDOW).isAfter(this.clock.instant());
	}

	private static String confirmation(Model model, Identity account, boolean confirmMissing) {
		model.addAttribute("account", account);
		model.addAttribute("confirmMissing", confirmMissing);
		return "account-delete";
	}

}
