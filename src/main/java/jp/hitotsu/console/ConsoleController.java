package jp.hitotsu.console;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The console's start: the realms this administrator may act in, and each realm's settings. */
@ConsoleServed
@Controller
class ConsoleController {

	private final AdminApi api;

	ConsoleController(AdminApi api) {
		this.api = api;
	}

	@GetMapping("/admin")
	String realms(Model model, HttpServletResponse response) {
		List<Map<String, Object>> realms = this.api.list("/realms");
		if (realms.isEmpty()) {
			// logged in, but holding no admin role: nothing here is theirs to see
			response.setStatus(HttpServletResponse.SC_FORBIDDEN);
		}
		model.addAttribute("realms", realms);
		return "console/realms";
	}

	@GetMapping("/admin/realms/{realm}")
	String realm(@PathVariable String realm, Model model) {
		model.addAttribute("settings", this.api.object("/realms/{realm}", realm).get("settings"));
		return "console/realm";
	}

	/** Where the realm's logout sends the browser back to (and a failed console login). */
	@GetMapping("/admin/logged-out")
	String loggedOut() {
		return "console/logged-out";
	}

}
