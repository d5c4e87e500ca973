package jp.hitotsu.console;

import java.util.Map;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What an administrator does to an account from its page: clear its lock, remove a second
 * factor, end its sessions, give it a temporary password, disable or enable it, delete it.
 * Each is asked for first: the GET of an action's URL shows what it will do, with a form
 * that POSTs to the same URL (its parameters in the URL, so a GET replayed after a new
 * console login lands on the same question), and the POST does it and goes back to the
 * account's page with a notice.
 */
@ConsoleServed
@Controller
class UserActionsController {

	private static final String USER = "/realms/{realm}/users/{id}";

	private static final String BACK = "redirect:/admin/realms/{realm}/users/{id}";

	/** Where a POST hands the temporary password to the page that shows it once. */
	private static final String TEMPORARY_PASSWORD = "temporaryPassword";

	private final AdminApi api;

	private final UserPagesController pages;

	private final MessageSource messages;

	UserActionsController(AdminApi api, UserPagesController pages, MessageSource messages) {
		this.api = api;
		this.pages = pages;
		this.messages = messages;
	}

	@GetMapping("/admin/realms/{realm}/users/{id}/unlock")
	String confirmUnlock(@PathVariable String realm, @PathVariable String id, Model model) {
		return confirm(model, realm, id, "unlock");
	}

	@PostMapping("/admin/realms/{realm}/users/{id}/unlock")
	String unlock(@PathVariable String realm, @PathVariable String id, RedirectAttributes redirect) {
		this.api.send(HttpMethod.DELETE, USER + "/lock", null, realm, id);
		return done(redirect, "unlock", realm, id);
	}

	@GetMapping("/admin/realms/{realm}/users/{id}/factors/totp/remove")
	String confirmRemoveTotp(@PathVariable String realm, @PathVariable String id, Model model) {
		return confirm(model, realm, id, "totp");
	}

	@PostMapping("/admin/realms/{realm}/users/{id}/factors/totp/remove")
	String removeTotp(@PathVariable String realm, @PathVariable String id, RedirectAttributes redirect) {
		this.api.send(HttpMethod.DELETE, USER + "/factors/totp", null, realm, id);
		return done(redirect, "totp", realm, id);
	}

	@GetMapping("/admin/realms/{realm}/users/{id}/factors/passkeys/{credential}/remove")
	String confirmRemovePasskey(@PathVariable String realm, @PathVariable String id, @PathVariable String credential,
			Model model) {
		Object passkeys = this.api.object(USER + "/factors", realm, id).get("passkeys");
		if (passkeys instanceof Iterable<?> list) {
			for (Object passkey : list) {
				if (passkey instanceof Map<?, ?> info && credential.equals(info.get("id"))) {
					model.addAttribute("passkey", info);
				}
			}
		}
		return confirm(model, realm, id, "passkey");
	}

	@PostMapping("/admin/realms/{realm}/users/{id}/factors/passkeys/{credential}/remove")
	String removePasskey(@PathVariable String realm, @PathVariable String id, @PathVariable String credential,
			RedirectAttributes redirect) {
		this.api.send(HttpMethod.DELETE, USER + "/factors/passkeys/{credential}", null, realm, id, credential);
		return done(redirect, "passkey", realm, id);
	}

	/** One session ({@code sid}) or, without it, every session of the account. */
	@GetMapping("/admin/realms/{realm}/users/{id}/sessions/end")
	String confirmEndSessions(@PathVariable String realm, @PathVariable String id,
			@RequestParam(required = false) String sid, Model model) {
		model.addAttribute("sid", sid);
		model.addAttribute("sessions", this.api.list(USER + "/sessions", realm, id)
			.stream()
			.filter((session) -> sid == null || sid.equals(session.get("sid")))
			.toList());
		return confirm(model, realm, id, (sid != null) ? "session" : "sessions");
	}

	@PostMapping("/admin/realms/{realm}/users/{id}/sessions/end")
	String endSessions(@PathVariable String realm, @PathVariable String id,
			@RequestParam(required = false) String sid, RedirectAttributes redirect) {
		if (sid != null) {
			this.api.send(HttpMethod.DELETE, USER + "/sessions/{sid}", null, realm, id, sid);
		}
		else {
			this.api.send(HttpMethod.DELETE, USER + "/sessions", null, realm, id);
		}
		return done(redirect, (sid != null) ? "session" : "sessions", realm, id);
	}

	@GetMapping("/admin/realms/{realm}/users/{id}/password")
	String confirmResetPassword(@PathVariable String realm, @PathVariable String id, Model model) {
		return confirm(model, realm, id, "password");
	}

	/** The API shows the temporary password once; so does the console, on the page after this one. */
	@PostMapping("/admin/realms/{realm}/users/{id}/password")
	String resetPassword(@PathVariable String realm, @PathVariable String id, RedirectAttributes redirect) {
		Map<String, Object> issued = this.api.send(HttpMethod.POST, USER + "/temporary-password", null, realm, id);
		redirect.addFlashAttribute(TEMPORARY_PASSWORD, issued.get(TEMPORARY_PASSWORD));
		return "redirect:/admin/realms/{realm}/users/{id}/password/issued";
	}

	/** Shows the password handed over by the POST; opened again (reload, history), the account's page. */
	@GetMapping("/admin/realms/{realm}/users/{id}/password/issued")
	String issuedPassword(@PathVariable String realm, @PathVariable String id, Model model) {
		if (!model.containsAttribute(TEMPORARY_PASSWORD)) {
			return BACK;
		}
		model.addAttribute("user", this.pages.summary(realm, id));
		return "console/user-password";
	}

	/** Disables an enabled account, enables a disabled one: the question says which. */
	@GetMapping("/admin/realms/{realm}/users/{id}/enabled")
	String confirmEnabled(@PathVariable String realm, @PathVariable String id, Model model) {
		Map<String, Object> person = this.api.object(USER, realm, id);
		boolean enabled = Boolean.TRUE.equals(person.get("enabled"));
		model.addAttribute("version", person.get("version"));
		model.addAttribute("enabled", !enabled);
		return confirm(model, realm, id, enabled ? "disable" : "enable");
	}

	/** Sets the state asked for, at the version the question was asked at (a second POST changes nothing). */
	@PostMapping("/admin/realms/{realm}/users/{id}/enabled")
	String setEnabled(@PathVariable String realm, @PathVariable String id, @RequestParam boolean enabled,
			@RequestParam String version, RedirectAttributes redirect) {
		this.api.sendIfMatch(HttpMethod.PATCH, USER, Map.of("enabled", enabled), version, realm, id);
		return done(redirect, enabled ? "enable" : "disable", realm, id);
	}

	@GetMapping("/admin/realms/{realm}/users/{id}/delete")
	String confirmDelete(@PathVariable String realm, @PathVariable String id, Model model) {
		this.pages.require(model, "MANAGE_ACCOUNTS", realm);
		return confirm(model, realm, id, "delete");
	}

	/** Deletes the account as the question showed it: changed since, the API refuses (412). */
	@PostMapping("/admin/realms/{realm}/users/{id}/delete")
	String delete(@PathVariable String realm, @PathVariable String id, @RequestParam String version,
			RedirectAttributes redirect) {
		Map<String, Object> user = this.pages.summary(realm, id);
		this.api.sendIfMatch(HttpMethod.DELETE, USER, null, version, realm, id);
		redirect.addFlashAttribute("notice", message("console.user.done.delete", user));
		return "redirect:" + UriComponentsBuilder.fromPath("/admin/realms/{realm}/users")
			.queryParam("q", user.get("username"))
			.buildAndExpand(realm)
			.encode()
			.toUriString();
	}

	private String confirm(Model model, String realm, String id, String action) {
		Map<String, Object> user = this.pages.summary(realm, id);
		model.addAttribute("user", user);
		model.addAttribute("action", action);
		model.addAttribute("name", name(user));
		model.addAttribute("version", model.containsAttribute("version") ? model.getAttribute("version")
				: user.get("version"));
		return "console/user-confirm";
	}

	private String done(RedirectAttributes redirect, String action, String realm, String id) {
		redirect.addFlashAttribute("notice", message("console.user.done." + action, this.pages.summary(realm, id)));
		return BACK;
	}

	/** A notice naming the account: its display name, or its username when it has none. */
	private String message(String key, Map<String, Object> user) {
		return this.messages.getMessage(key, new Object[] { name(user) }, LocaleContextHolder.getLocale());
	}

	private static Object name(Map<String, Object> user) {
		Object name = user.get("displayName");
		return (name != null && !name.toString().isBlank()) ? name + " (" + user.get("username") + ")"
				: user.get("username");
	}

}
