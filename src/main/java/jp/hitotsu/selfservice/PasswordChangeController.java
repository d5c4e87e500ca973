package jp.hitotsu.selfservice;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.ChosenPasswordForm;
import jp.hitotsu.account.PasswordFormError;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.login.RealmRequestCache;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A logged-in person changes their password, confirming with the current one. Someone not
 * logged in to the realm is sent to its login page and comes back here after it.
 */
@Controller
class PasswordChangeController {

	private final AccountService accounts;

	private final RealmLogins logins;

	private final RealmRequestCache requestCache;

	PasswordChangeController(AccountService accounts, RealmLogins logins, RealmRequestCache requestCache) {
		this.accounts = accounts;
		this.logins = logins;
		this.requestCache = requestCache;
	}

	@GetMapping("/realms/{realmName}/account/password")
	String page(@RequestParam(name = "changed", required = false) String changed, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		Optional<RealmAuthentication> login = this.logins.current(request, realm);
		if (login.isEmpty()) {
			this.requestCache.saveRequest(request, response);
			return toLogin(realm);
		}
		model.addAttribute("changed", changed != null);
		return form(model, login.get(), null);
	}

	@PostMapping("/realms/{realmName}/account/password")
	String change(@RequestParam(name = "currentPassword", defaultValue = "") String currentPassword,
			@ModelAttribute ChosenPasswordForm form, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		Realm realm = RealmContext.require();
		Optional<RealmAuthentication> login = this.logins.current(request, realm);
		if (login.isEmpty()) {
			// the login ended while the form was open; what was typed is not replayed after it
			return toLogin(realm);
		}
		Optional<PasswordFormError> error = currentPassword.isEmpty()
				? Optional.of(PasswordFormError.currentPasswordMissing()) : form.check();
		if (error.isEmpty()) {
			error = this.accounts
				.changePassword(realm, login.get().getName(), currentPassword, form.newPassword(),
						request.getRemoteAddr())
				.map((rejection) -> PasswordFormError.of(rejection, realm.passwordPolicy()));
		}
		if (error.isPresent()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("changed", false);
			return form(model, login.get(), error.get());
		}
		return "redirect:/realms/" + realm.name() + "/account/password?changed";
	}

	private static String form(Model model, RealmAuthentication login, PasswordFormError error) {
		model.addAttribute("username", login.getPrincipal().username());
		model.addAttribute("error", error);
		return "account-password";
	}

	private static String toLogin(Realm realm) {
		return "redirect:/realms/" + realm.name() + "/login";
	}

}
