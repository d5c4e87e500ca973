package jp.hitotsu.selfservice;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.ChosenPasswordForm;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.PasswordFormError;

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

	private final AccountPages pages;

	PasswordChangeController(AccountService accounts, AccountPages pages) {
		this.accounts = accounts;
		this.pages = pages;
	}

	@GetMapping("/realms/{realmName}/account/password")
	String page(@RequestParam(name = "changed", required = false) String changed, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		return this.pages.show(request, response, (realm, owner) -> {
			model.addAttribute("changed", changed != null);
			return form(model, owner, null);
		});
	}

	@PostMapping("/realms/{realmName}/account/password")
	String change(@RequestParam(name = "currentPassword", defaultValue = "") String currentPassword,
			@ModelAttribute ChosenPasswordForm form, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		return this.pages.handle(request, (realm, owner) -> {
			Optional<PasswordFormError> error = currentPassword.isEmpty()
					? Optional.of(PasswordFormError.currentPasswordMissing()) : form.check();
			if (error.isEmpty()) {
				error = this.accounts
					.changePassword(realm, owner.subject(), currentPassword, form.newPassword(), request.getRemoteAddr())
					.map((rejection) -> PasswordFormError.of(rejection, realm.passwordPolicy()));
			}
			if (error.isPresent()) {
				response.setStatus(HttpStatus.BAD_REQUEST.value());
				model.addAttribute("changed", false);
				return form(model, owner, error.get());
			}
			return "redirect:/realms/" + realm.name() + "/account/password?changed";
		});
	}

	private static String form(Model model, Identity owner, PasswordFormError error) {
		model.addAttribute("username", owner.username());
		model.addAttribute("error", error);
		return "account-password";
	}

}
