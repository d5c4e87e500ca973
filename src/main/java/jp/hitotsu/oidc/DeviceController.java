package jp.hitotsu.oidc;

import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The realm's user code page (RFC 8628 {@code verification_uri}). It is reached only
 * logged in to the realm (the authorization server's chain sends the browser to the login
 * first); the code it posts goes to Spring's verification endpoint at the same path, which
 * answers with the consent page, or back here with the outcome.
 */
@Controller
class DeviceController {

	@GetMapping("/realms/{realm}" + DeviceVerification.PAGE)
	String page(@RequestParam(required = false) String error, @RequestParam(required = false) String approved,
			RealmAuthentication login, Model model) {
		Realm realm = RealmContext.require();
		if (login == null) {
			// a request the authorization server's chain lets through (HEAD): to the login, as GET goes
			return "redirect:/realms/" + realm.name() + "/login";
		}
		model.addAttribute("realm", realm);
		model.addAttribute("username", login.getPrincipal().username());
		model.addAttribute("action", realm.issuerPath() + DeviceVerification.PAGE);
		model.addAttribute("approved", approved != null);
		model.addAttribute("error", (error == null) ? null
				: "device.error." + (DeviceVerification.EXPLAINED.contains(error) ? error : "invalid_request"));
		return "device";
	}

}
