package jp.hitotsu.console;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A realm's signing keys and their rotation: new keys are published at once and sign
 * after the activation delay, so applications fetch them before they meet a token signed
 * with them.
 */
@ConsoleServed
@Controller
class KeyPagesController {

	private final AdminApi api;

	private final MessageSource messages;

	KeyPagesController(AdminApi api, MessageSource messages) {
		this.api = api;
		this.messages = messages;
	}

	@GetMapping("/admin/realms/{realm}/keys")
	String keys(@PathVariable String realm, Model model) {
		model.addAttribute("keys", this.api.list("/realms/{realm}/keys", realm));
		return "console/keys";
	}

	@GetMapping("/admin/realms/{realm}/keys/rotation")
	String confirmRotation(@PathVariable String realm, Model model, Locale locale) {
		// the API's own answer to whether this administrator may rotate the keys here
		this.api.list("/realms/{realm}/keys", realm);
		String keys = "/admin/realms/" + realm + "/keys";
		model.addAttribute("confirmation",
				new ConsoleConfirmation(word("console.keys.rotation.title", locale),
						word("console.keys.rotation.consequence", locale), word("console.keys.rotation.submit", locale),
						keys + "/rotation", keys));
		return "console/confirm";
	}

	@PostMapping("/admin/realms/{realm}/keys/rotation")
	String rotate(@PathVariable String realm, Model model, RedirectAttributes redirect, Locale locale) {
		Map<String, Object> rotation = this.api.send(HttpMethod.POST, "/realms/{realm}/keys/rotation", null, realm);
		ConsoleFormat format = (ConsoleFormat) model.getAttribute("format");
		String kids = (rotation.get("kids") instanceof List<?> list)
				? String.join(", ", list.stream().map(String::valueOf).toList()) : "";
		redirect.addFlashAttribute("notice", this.messages.getMessage("console.keys.rotated",
				new Object[] { kids, format.time(rotation.get("activatesAt")), format.zone() }, locale));
		return "redirect:/admin/realms/{realm}/keys";
	}

	private String word(String key, Locale locale) {
		return this.messages.getMessage(key, null, locale);
	}

}
