package jp.hitotsu.login;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.AccountService.PasswordReplacement;
import jp.hitotsu.account.ChosenPasswordForm;
import jp.hitotsu.account.PasswordFormError;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The step of a login whose password was a temporary one set by an administrator: its
 * owner chooses their own before the login goes on. Without such a login in progress the
 * page sends the browser to the login page.
 */
@Controller
class NewPasswordController {

	private final AccountService accounts;

	private final LoginFlow flow;

	NewPasswordController(AccountService accounts, LoginFlow flow) {
		this.accounts = accounts;
		this.flow = flow;
	}

	@GetMapping("/realms/{realmName}/login/new-password")
	String page(HttpServletRequest request, Model model) {
		Realm realm = RealmContext.require();
		Optional<PendingLogin> pending = pendingPasswordChange(request, realm);
		if (pending.isEmpty()) {
			return toLogin(realm);
		}
		return form(model, pending.get(), null);
	}

	@PostMapping("/realms/{realmName}/login/new-password")
	String choose(@ModelAttribute ChosenPasswordForm form, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		Realm realm = RealmContext.require();
		Optional<PendingLogin> pending = pendingPasswordChange(request, realm);
		if (pending.isEmpty()) {
			return toLogin(realm);
		}
		Optional<PasswordFormError> error = form.check();
		if (error.isEmpty()) {
			error = this.accounts
				.replacePassword(realm, pending.get().subject(), form.newPassword(),
						PasswordReplacement.TEMPORARY_PASSWORD, request.getRemoteAddr())
				.map((rejection) -> PasswordFormError.of(rejection, realm.passwordPolicy()));
		}
		if (error.isPresent()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return form(model, pending.get(), error.get());
		}
		return this.flow.passwordChanged(request, response, realm);
	}

	private Optional<PendingLogin> pendingPasswordChange(HttpServletRequest request, Realm realm) {
		return this.flow.pending(request, realm).filter(PendingLogin::passwordChangeRequired);
	}

	private static String form(Model model, PendingLogin pending, PasswordFormError error) {
		model.addAttribute("username", pending.username());
		model.addAttribute("error", error);
		return "new-password";
	}

	private static String toLogin(Realm realm) {
		return "redirect:/realms/" + realm.name() + "/login";
	}

}
