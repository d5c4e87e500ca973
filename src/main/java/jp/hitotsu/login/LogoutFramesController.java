package jp.hitotsu.login;

import java.net.URI;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The page a browser sees after logging out of a realm when clients of its session
 * registered a front-channel logout URI (OpenID Connect Front-Channel Logout 1.0): each is
 * loaded in a hidden frame, so that the client ends its own session with its own cookies,
 * and a link leads on to where the logout was going. No script: the user follows the link.
 */
@Controller
class LogoutFramesController {

	private final RealmLogins logins;

	LogoutFramesController(RealmLogins logins) {
		this.logins = logins;
	}

	@GetMapping("/realms/{realmName}/logout/frames")
	String frames(HttpServletRequest request, HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		Optional<RealmLogins.PendingFrames> pending = this.logins.takeFrames(request, realm);
		if (pending.isEmpty()) {
			return "redirect:/realms/" + realm.name() + "/login?logged_out";
		}
		// the page's policy, with frames allowed from these clients' origins only (set before
		// Spring Security's header writer, which then leaves it)
		String origins = pending.get().frames().stream().map((frame) -> origin(URI.create(frame.uri())))
			.distinct()
			.collect(Collectors.joining(" "));
		response.setHeader("Content-Security-Policy",
				PageSecurityConfiguration.CONTENT_SECURITY_POLICY + "; frame-src " + origins);
		model.addAttribute("realm", realm);
		model.addAttribute("frames", pending.get().frames());
		model.addAttribute("next", pending.get().next());
		return "logout-frames";
	}

	private static String origin(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
	}

}
