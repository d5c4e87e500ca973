package jp.hitotsu.registration;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.PasswordFormError;
import jp.hitotsu.account.Person;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.login.RealmRequestCache;
import jp.hitotsu.mail.EmailAddresses;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.web.ErrorResponses;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The sign-up page of realms that offer it, the page of the verification link, and the
 * page an unverified account sees when a client needs a verified address. Sign-up in a
 * realm that does not offer it answers 404; verification works in every realm (an
 * administrator's account may be unverified too).
 */
@Controller
class RegistrationController {

	/** The address becomes the username, whose column holds 255 characters. */
	private static final int MAX_USERNAME = 255;

	private final Registrations registrations;

	private final AccountService accounts;

	private final RealmLogins logins;

	private final RealmRequestCache requestCache;

	private final ErrorResponses errors;

	RegistrationController(Registrations registrations, AccountService accounts, RealmLogins logins,
			RealmRequestCache requestCache, ErrorResponses errors) {
		this.registrations = registrations;
		this.accounts = accounts;
		this.logins = logins;
		this.requestCache = requestCache;
		this.errors = errors;
	}

	@GetMapping("/realms/{realmName}/register")
	String page(HttpServletRequest request, HttpServletResponse response, Model model) throws IOException {
		Realm realm = RealmContext.require();
		if (!offered(realm, request, response)) {
			return null;
		}
		return form(model, SignUpForm.empty(), Map.of(), null);
	}

	@PostMapping("/realms/{realmName}/register")
	String signUp(@ModelAttribute SignUpForm form, HttpServletRequest request, HttpServletResponse response,
			Locale locale, Model model) throws IOException {
		Realm realm = RealmContext.require();
		if (!offered(realm, request, response)) {
			return null;
		}
		Map<String, String> fieldErrors = new LinkedHashMap<>();
		EmailAddresses.problem(form.email(), MAX_USERNAME).ifPresent((key) -> fieldErrors.put("email", key));
		Person person = form.person();
		person.check().forEach((error) -> fieldErrors.putIfAbsent(error.field(), error.messageKey()));
		PasswordFormError passwordError = form.password()
			.check()
			.or(() -> this.accounts.checkChosenPassword(realm, form.newPassword())
				.map((rejection) -> PasswordFormError.of(rejection, realm.passwordPolicy())))
			.orElse(null);
		if (!fieldErrors.isEmpty() || passwordError != null) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return form(model, form, fieldErrors, passwordError);
		}
		this.registrations.signUp(realm, form.email(), person, form.newPassword(), locale, baseUrl(request),
				request.getRemoteAddr());
		// the same page whether the address is new or not: nothing tells a stranger which
		return notice(model, "registration.sent.title", "registration.sent.message", realm.registration().linkMinutes());
	}

	@GetMapping("/realms/{realmName}/register/verify")
	String verifyPage(@RequestParam(name = "token", defaultValue = "") String token, HttpServletResponse response,
			Model model) {
		Realm realm = RealmContext.require();
		if (!this.registrations.linkUsable(realm, token)) {
			return linkUnusable(response, model);
		}
		// a button, not the GET itself: mail scanners that open links must not spend it
		model.addAttribute("token", token);
		return "verify-email";
	}

	@PostMapping("/realms/{realmName}/register/verify")
	String verify(@RequestParam(name = "token", defaultValue = "") String token, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		if (this.registrations.verify(realm, token, request.getRemoteAddr()).isEmpty()) {
			return linkUnusable(response, model);
		}
		// the authorization that led to the sign-up (or to the unverified page) goes on
		return resumeAuthorization(request, response)
			.orElseGet(() -> notice(model, "registration.verified.title", "registration.verified.message", null));
	}

	@GetMapping("/realms/{realmName}/register/unverified")
	String unverifiedPage(HttpServletRequest request, HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		Optional<Identity> account = account(request, realm);
		if (account.isEmpty()) {
			return "redirect:/realms/" + realm.name() + "/login";
		}
		return unverified(model, account.get(), null);
	}

	@PostMapping("/realms/{realmName}/register/resend")
	String resend(HttpServletRequest request, HttpServletResponse response, Locale locale, Model model) {
		Realm realm = RealmContext.require();
		Optional<Identity> account = account(request, realm);
		if (account.isEmpty()) {
			return "redirect:/realms/" + realm.name() + "/login";
		}
		if (account.get().emailVerified()) {
			return resumeAuthorization(request, response).orElse("redirect:/realms/" + realm.name() + "/login");
		}
		boolean sent = this.registrations.resend(realm, account.get(), locale, baseUrl(request),
				request.getRemoteAddr());
		return unverified(model, account.get(), sent ? "registration.unverified.sent" : "registration.unverified.wait");
	}

	/**
	 * Back to the authorization request saved before the login or the unverified page, if
	 * there is one. It is taken out of the session: a browser not logged in has it saved
	 * again by the authorization endpoint on its way to the login page.
	 */
	private Optional<String> resumeAuthorization(HttpServletRequest request, HttpServletResponse response) {
		SavedRequest saved = this.requestCache.getRequest(request, response);
		if (saved == null) {
			return Optional.empty();
		}
		this.requestCache.removeRequest(request, response);
		return Optional.of("redirect:" + saved.getRedirectUrl());
	}

	private Optional<Identity> account(HttpServletRequest request, Realm realm) {
		return this.logins.current(request, realm)
			.map(RealmAuthentication::getName)
			.flatMap((subject) -> this.accounts.find(realm.name(), subject));
	}

	private static String unverified(Model model, Identity account, String status) {
		model.addAttribute("email", account.email());
		model.addAttribute("status", status);
		return "email-unverified";
	}

	private boolean offered(Realm realm, HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (realm.registration().enabled()) {
			return true;
		}
		this.errors.notFound(request, response, "registration.not-offered",
				"Realm '" + realm.name() + "' does not offer sign-up", realm.name());
		return false;
	}

	private static String form(Model model, SignUpForm form, Map<String, String> fieldErrors,
			PasswordFormError passwordError) {
		model.addAttribute("form", form);
		model.addAttribute("fieldErrors", fieldErrors);
		model.addAttribute("passwordError", passwordError);
		return "register";
	}

	/** A used, expired or unknown link: 410, with the way to a new one (log in, then ask). */
	private static String linkUnusable(HttpServletResponse response, Model model) {
		response.setStatus(HttpStatus.GONE.value());
		return notice(model, "registration.unusable.title", "registration.unusable.message", null);
	}

	private static String notice(Model model, String title, String message, Object argument) {
		model.addAttribute("title", title);
		model.addAttribute("message", message);
		model.addAttribute("argument", argument);
		// the page of the password-reset notices, without its "ask for a new link" (that is for reset links)
		model.addAttribute("offerNewLink", false);
		return "recovery-notice";
	}

	private static String baseUrl(HttpServletRequest request) {
		return ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
	}

}
