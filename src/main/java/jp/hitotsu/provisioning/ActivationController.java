package jp.hitotsu.provisioning;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.ChosenPasswordForm;
import jp.hitotsu.account.PasswordFormError;
import jp.hitotsu.login.Factor;
import jp.hitotsu.login.LoginFlow;
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
 * {@code /realms/R/activate}: a person whose account came in a directory bundle enters
 * the username and the one-time activation code and chooses a password. That is the
 * first factor of a login which then goes on as any other: the realm's second factor is
 * set up at once (a passkey in the My Number zone) before the login completes.
 */
@Controller
class ActivationController {

	private final Activations activations;

	private final LoginFlow flow;

	ActivationController(Activations activations, LoginFlow flow) {
		this.activations = activations;
		this.flow = flow;
	}

	@GetMapping("/realms/{realmName}/activate")
	String page(Model model) {
		return form(model, "", null);
	}

	@PostMapping("/realms/{realmName}/activate")
	String activate(@RequestParam(name = "loginName", defaultValue = "") String username,
			@RequestParam(name = "code", defaultValue = "") String code, @ModelAttribute ChosenPasswordForm form,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		if (username.isBlank() || code.isBlank()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return form(model, username, new PasswordFormError(username.isBlank() ? "loginName" : Activations.CODE_FIELD,
					"activation.error.required", null));
		}
		Activations.Outcome outcome = this.activations.activate(realm, username.strip(), code.strip(), form,
				request.getRemoteAddr());
		if (outcome.activated() == null) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return form(model, username, outcome.error());
		}
		return this.flow.begin(request, response, realm, outcome.activated(), Factor.PASSWORD, false);
	}

	private static String form(Model model, String username, PasswordFormError error) {
		model.addAttribute("username", username);
		model.addAttribute("error", error);
		return "activate";
	}

}
