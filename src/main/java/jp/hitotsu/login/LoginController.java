package jp.hitotsu.login;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.Passkeys;
import jp.hitotsu.realm.LoginPolicy;
import jp.hitotsu.realm.LoginPolicy.SecondFactor;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The login page of each realm. Wrong credentials get one message whether or not the
 * username exists.
 */
@Controller
class LoginController {

	private final AccountService accounts;

	private final RealmLogins logins;

	private final LoginFlow flow;

	private final Passkeys passkeys;

	private final ObjectProvider<LoginOption> options;

	LoginController(AccountService accounts, RealmLogins logins, LoginFlow flow, Passkeys passkeys,
			ObjectProvider<LoginOption> options) {
		this.options = options;
		this.accounts = accounts;
		this.passkeys = passkeys;
		this.logins = logins;
		this.flow = flow;
	}

	/** Whether the page offers a passkey instead of the password. */
	@ModelAttribute("passwordless")
	boolean passwordless(HttpServletRequest request) {
		LoginPolicy policy = RealmContext.require().login();
		return policy.passwordless() && policy.allows(SecondFactor.PASSKEY)
				&& this.passkeys.relyingParty(request).isPresent();
	}

	/** The buttons of the other ways to log in (upstream providers), in their features' order. */
	@ModelAttribute("loginOptions")
	List<LoginOption.Button> loginOptions() {
		Realm realm = RealmContext.require();
		return this.options.orderedStream().flatMap((option) -> option.buttons(realm).stream()).toList();
	}

	@GetMapping("/realms/{realmName}/login")
	String page(HttpServletRequest request, Model model) {
		Realm realm = RealmContext.require();
		model.addAttribute("form", new LoginForm(null, null));
		model.addAttribute("errors", LoginErrors.NONE);
		this.logins.current(request, realm).ifPresent((login) -> model.addAttribute("login", login.getPrincipal()));
		model.addAttribute("loggedOut", request.getParameter("logged_out") != null);
		model.addAttribute("tooManyAttempts", request.getParameter("too_many_attempts") != null);
		return "login";
	}

	@PostMapping("/realms/{realmName}/login")
	String login(@ModelAttribute("form") LoginForm form, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		Realm realm = RealmContext.require();
		boolean usernameMissing = form.username().isBlank();
		boolean passwordMissing = form.password().isEmpty();
		if (usernameMissing || passwordMissing) {
			model.addAttribute("errors", new LoginErrors(usernameMissing, passwordMissing, false));
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return "login";
		}
		Optional<Identity> identity = Optional.empty();
		if (form.username().length() <= LoginForm.MAX_USERNAME && form.password().length() <= LoginForm.MAX_PASSWORD) {
			identity = this.accounts.authenticate(realm.name(), form.username(), form.password(),
					request.getRemoteAddr());
		}
		if (identity.isEmpty()) {
			model.addAttribute("errors", new LoginErrors(false, false, true));
			model.addAttribute("form", new LoginForm(form.username(), null));
			response.setStatus(HttpStatus.UNAUTHORIZED.value());
			return "login";
		}
		return this.flow.begin(request, response, realm, identity.get(), Factor.PASSWORD,
				this.accounts.passwordChangeRequired(realm.name(), identity.get().subject()));
	}

	/** What the form says is wrong; one message for any credential failure. */
	record LoginErrors(boolean usernameMissing, boolean passwordMissing, boolean invalidCredentials) {

		static final LoginErrors NONE = new LoginErrors(false, false, false);

		public boolean any() {
			return this.usernameMissing || this.passwordMissing || this.invalidCredentials;
		}

	}

	@PostMapping("/realms/{realmName}/logout")
	String logout(HttpServletRequest request) {
		Realm realm = RealmContext.require();
		this.logins.end(request, realm);
		return "redirect:" + this.logins.afterLogout(request, realm, "/realms/" + realm.name() + "/login?logged_out");
	}

}
