package jp.hitotsu.recovery;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.ChosenPasswordForm;
import jp.hitotsu.account.PasswordFormError;
import jp.hitotsu.mail.EmailAddresses;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.web.ErrorResponses;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The pages of "forgot password" in realms that offer it: asking for a link, and the
 * link's page that sets the new password. Realms that do not offer it answer 404.
 */
@Controller
class PasswordRecoveryController {

	private final PasswordRecovery recovery;

	private final ErrorResponses errors;

	PasswordRecoveryController(PasswordRecovery recovery, ErrorResponses errors) {
		this.recovery = recovery;
		this.errors = errors;
	}

	@GetMapping("/realms/{realmName}/login/forgot-password")
	String forgotPage(HttpServletRequest request, HttpServletResponse response, Model model) throws IOException {
		Realm realm = RealmContext.require();
		if (!offered(realm, request, response)) {
			return null;
		}
		return forgotForm(model, realm, "", null);
	}

	@PostMapping("/realms/{realmName}/login/forgot-password")
	String requestLink(@RequestParam(name = "email", defaultValue = "") String email, HttpServletRequest request,
			HttpServletResponse response, Locale locale, Model model) throws IOException {
		Realm realm = RealmContext.require();
		if (!offered(realm, request, response)) {
			return null;
		}
		String address = email.strip();
		String error = EmailAddresses.problem(address).orElse(null);
		if (error != null) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return forgotForm(model, realm, address, error);
		}
		this.recovery.requestReset(realm, address, locale,
				ServletUriComponentsBuilder.fromContextPath(request).build().toUriString(), request.getRemoteAddr());
		return notice(model, "recovery.sent.title", "recovery.sent.message", PasswordRecovery.linkMinutes(realm), false);
	}

	@GetMapping("/realms/{realmName}/login/reset-password")
	String resetPage(@RequestParam(name = "token", defaultValue = "") String token, HttpServletRequest request,
			HttpServletResponse response, Model model) throws IOException {
		Realm realm = RealmContext.require();
		if (!offered(realm, request, response)) {
			return null;
		}
		if (!this.recovery.linkUsable(realm, token)) {
			return linkUnusable(response, model);
		}
		return resetForm(model, token, null);
	}

	@PostMapping("/realms/{realmName}/login/reset-password")
	String reset(@RequestParam(name = "token", defaultValue = "") String token,
			@ModelAttribute ChosenPasswordForm form, HttpServletRequest request, HttpServletResponse response,
			Model model) throws IOException {
		Realm realm = RealmContext.require();
		if (!offered(realm, request, response)) {
			return null;
		}
		PasswordFormError error = form.check().orElse(null);
		if (error == null) {
			PasswordRecovery.ResetOutcome outcome = this.recovery.reset(realm, token, form.newPassword(),
					request.getRemoteAddr());
			if (!outcome.linkUsable()) {
				return linkUnusable(response, model);
			}
			if (outcome.done()) {
				return notice(model, "recovery.done.title", "recovery.done.message", null, false);
			}
			error = PasswordFormError.of(outcome.rejection().orElseThrow(), realm.passwordPolicy());
		}
		else if (!this.recovery.linkUsable(realm, token)) {
			return linkUnusable(response, model);
		}
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		return resetForm(model, token, error);
	}

	private boolean offered(Realm realm, HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (realm.passwordPolicy().resetByEmail()) {
			return true;
		}
		this.errors.notFound(request, response, "recovery.not-offered",
				"Realm '" + realm.name() + "' does not offer password reset by e-mail", realm.name());
		return false;
	}

	private static String forgotForm(Model model, Realm realm, String email, String error) {
		model.addAttribute("email", email);
		model.addAttribute("error", error);
		model.addAttribute("linkMinutes", PasswordRecovery.linkMinutes(realm));
		return "forgot-password";
	}

	private static String resetForm(Model model, String token, PasswordFormError error) {
		model.addAttribute("token", token);
		model.addAttribute("error", error);
		model.addAttribute("username", null);
		return "reset-password";
	}

	/** A used, expired or unknown link: 410, with the way to a new one. */
	private static String linkUnusable(HttpServletResponse response, Model model) {
		response.setStatus(HttpStatus.GONE.value());
		return notice(model, "recovery.unusable.title", "recovery.unusable.message", null, true);
	}

	private static String notice(Model model, String title, String message, Object argument, boolean offerNewLink) {
		model.addAttribute("title", title);
		model.addAttribute("message", message);
		model.addAttribute("argument", argument);
		model.addAttribute("offerNewLink", offerNewLink);
		return "recovery-notice";
	}

}
