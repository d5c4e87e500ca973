package jp.hitotsu.console;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** Finding a person: one box for username, e-mail, employee number or the start of a name. */
@ConsoleServed
@Controller
class UserPagesController {

	private final AdminApi api;

	UserPagesController(AdminApi api) {
		this.api = api;
	}

	@GetMapping("/admin/realms/{realm}/users")
	String search(@PathVariable String realm, @RequestParam(required = false) String q,
			@RequestParam(required = false) String after, Model model) {
		model.addAttribute("q", q);
		if (q != null && !q.isBlank()) {
			Map<String, Object> parameters = new LinkedHashMap<>();
			parameters.put("q", q.strip());
			parameters.put("after", after);
			parameters.put("limit", 20);
			model.addAttribute("found", this.api.query("/realms/{realm}/users", parameters, realm));
		}
		return "console/users";
	}

}
