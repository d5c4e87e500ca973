package jp.hitotsu.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The clients of a realm: the list, registering one (its secret shown once), a client's
 * details, changing it, giving it a new secret and deleting it. Clients of the realm file
 * are shown but change only with the file: the API refuses it, so the pages do not offer it.
 */
@ConsoleServed
@Controller
class ClientPagesController {

	private static final String CLIENTS = "/realms/{realm}/clients";

	private static final String CLIENT = "/realms/{realm}/clients/{clientId}";

	private static final String REALM_FILE = "realm-file";

	private final AdminApi api;

	private final MessageSource messages;

	ClientPagesController(AdminApi api, MessageSource messages) {
		this.api = api;
		this.messages = messages;
	}

	@GetMapping("/admin/realms/{realm}/clients")
	String list(@PathVariable String realm, @RequestParam(required = false) String after, Model model) {
		Map<String, Object> parameters = new LinkedHashMap<>();
		parameters.put("after", after);
		parameters.put("limit", 50);
		model.addAttribute("page", this.api.query(CLIENTS, parameters, realm));
		return "console/clients";
	}

	@GetMapping("/admin/realms/{realm}/clients/new")
	String registrationForm(@PathVariable String realm, Model model) {
		// the API's own answer to whether this administrator may manage clients here
		this.api.query(CLIENTS, Map.of("limit", 1), realm);
		return form(realm, ClientForm.blank(), null, model);
	}

	@PostMapping("/admin/realms/{realm}/clients/new")
	String register(@PathVariable String realm, @RequestParam Map<String, String> parameters, Model model,
			RedirectAttributes redirect, HttpServletResponse response, Locale locale) {
		ClientForm form = ClientForm.from(parameters);
		Map<String, Object> registered;
		try {
			registered = this.api.send(HttpMethod.POST, CLIENTS, form.registration(), realm);
		}
		catch (AdminApiException refusal) {
			return refused(realm, form, null, refusal, model, response);
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> client = (Map<String, Object>) registered.get("client");
		String clientId = String.valueOf(client.get("clientId"));
		redirect.addFlashAttribute("secret", registered.get("secret"));
		redirect.addFlashAttribute("registered", true);
		return toClient(redirect, "console.clients.registered", clientId, locale);
	}

	@GetMapping("/admin/realms/{realm}/clients/{clientId}")
	String client(@PathVariable String realm, @PathVariable String clientId, Model model) {
		Map<String, Object> client = this.api.object(CLIENT, realm, clientId);
		model.addAttribute("client", client);
		model.addAttribute("readOnly", REALM_FILE.equals(client.get("source")));
		model.addAttribute("discovery", ServletUriComponentsBuilder.fromCurrentContextPath()
			.path("/realms/{realm}/.well-known/openid-configuration")
			.buildAndExpand(realm)
			.toUriString());
		return "console/client";
	}

	@GetMapping("/admin/realms/{realm}/clients/{clientId}/edit")
	String editForm(@PathVariable String realm, @PathVariable String clientId, Model model) {
		Map<String, Object> client = this.api.object(CLIENT, realm, clientId);
		if (REALM_FILE.equals(client.get("source"))) {
			return client(realm, clientId, model);
		}
		return form(realm, ClientForm.of(client), client, model);
	}

	@PostMapping("/admin/realms/{realm}/clients/{clientId}/edit")
	String edit(@PathVariable String realm, @PathVariable String clientId, @RequestParam Map<String, String> parameters,
			Model model, RedirectAttributes redirect, HttpServletResponse response, Locale locale) {
		ClientForm form = ClientForm.from(parameters);
		Map<String, Object> current = this.api.object(CLIENT, realm, clientId);
		try {
			this.api.send(HttpMethod.PUT, CLIENT, form.replacing(current), realm, clientId);
		}
		catch (AdminApiException refusal) {
			return refused(realm, form, current, refusal, model, response);
		}
		return toClient(redirect, "console.clients.saved", clientId, locale);
	}

	@GetMapping("/admin/realms/{realm}/clients/{clientId}/secret")
	String confirmSecret(@PathVariable String realm, @PathVariable String clientId, Model model, Locale locale) {
		return confirmation(realm, clientId, "secret", model, locale);
	}

	@PostMapping("/admin/realms/{realm}/clients/{clientId}/secret")
	String rotateSecret(@PathVariable String realm, @PathVariable String clientId, RedirectAttributes redirect,
			Locale locale) {
		Map<String, Object> secret = this.api.send(HttpMethod.POST, CLIENT + "/secret", null, realm, clientId);
		redirect.addFlashAttribute("secret", secret.get("secret"));
		return toClient(redirect, "console.clients.secret.rotated", clientId, locale);
	}

	@GetMapping("/admin/realms/{realm}/clients/{clientId}/delete")
	String confirmDelete(@PathVariable String realm, @PathVariable String clientId, Model model, Locale locale) {
		return confirmation(realm, clientId, "delete", model, locale);
	}

	@PostMapping("/admin/realms/{realm}/clients/{clientId}/delete")
	String delete(@PathVariable String realm, @PathVariable String clientId, RedirectAttributes redirect,
			Locale locale) {
		this.api.send(HttpMethod.DELETE, CLIENT, null, realm, clientId);
		redirect.addFlashAttribute("notice", word("console.clients.deleted", clientId, locale));
		return "redirect:/admin/realms/{realm}/clients";
	}

	/** The "are you sure" page of a change to one client; a realm file's client shows its details instead. */
	private String confirmation(String realm, String clientId, String action, Model model, Locale locale) {
		Map<String, Object> client = this.api.object(CLIENT, realm, clientId);
		if (REALM_FILE.equals(client.get("source"))) {
			return client(realm, clientId, model);
		}
		String page = "/admin/realms/" + realm + "/clients/" + pathSegment(clientId);
		String words = "console.clients." + action;
		model.addAttribute("confirmation",
				new ConsoleConfirmation(word(words + ".title", clientId, locale),
						word(words + ".consequence", clientId, locale), word(words + ".submit", clientId, locale),
						page + "/" + action, page));
		return "console/confirm";
	}

	/** Back to the client's page, saying what was done. */
	private String toClient(RedirectAttributes redirect, String notice, String clientId, Locale locale) {
		redirect.addFlashAttribute("notice", word(notice, clientId, locale));
		return "redirect:/admin/realms/{realm}/clients/" + pathSegment(clientId);
	}

	private String word(String key, String clientId, Locale locale) {
		return this.messages.getMessage(key, new Object[] { clientId }, locale);
	}

	/** The registration form (client absent) or the form changing a client. */
	private String form(String realm, ClientForm form, Map<String, Object> client, Model model) {
		Map<String, Object> settings = this.api.object("/realms/{realm}", realm);
		model.addAttribute("form", form);
		model.addAttribute("client", client);
		model.addAttribute("fields", ClientForm.FIELDS);
		model.addAttribute("grants", ClientForm.GRANTS);
		model.addAttribute("rules", rulesOf(settings));
		if (!model.containsAttribute("errors")) {
			model.addAttribute("errors", Map.of());
			model.addAttribute("otherErrors", List.of());
		}
		return "console/client-form";
	}

	/**
	 * The form again, as typed, with what the API said: each field's messages beside it,
	 * the rest (a rule across fields) in the summary only.
	 */
	private String refused(String realm, ClientForm form, Map<String, Object> client, AdminApiException refusal,
			Model model, HttpServletResponse response) {
		Map<String, List<String>> errors = new LinkedHashMap<>();
		List<String> other = new ArrayList<>();
		if (refusal.getStatus() == HttpServletResponse.SC_CONFLICT && "client-exists".equals(refusal.getCode())) {
			errors.put("clientId", List.of(refusal.getMessage()));
		}
		else if (refusal.getStatus() != HttpServletResponse.SC_BAD_REQUEST) {
			throw refusal;
		}
		for (Map<String, Object> error : refusal.getErrors()) {
			// a list's item (redirectUris[1]) is shown at its list's field
			String field = String.valueOf(error.get("field")).replaceFirst("\\[\\d+]$", "");
			String message = String.valueOf(error.get("message"));
			if (ClientForm.FIELDS.contains(field)) {
				errors.computeIfAbsent(field, (name) -> new ArrayList<>()).add(message);
			}
			else {
				other.add(message);
			}
		}
		if (errors.isEmpty() && other.isEmpty()) {
			other.add(refusal.getMessage());
		}
		response.setStatus(refusal.getStatus());
		model.addAttribute("errors", errors);
		model.addAttribute("otherErrors", other);
		return form(realm, form, client, model);
	}

	@SuppressWarnings("unchecked")
	private static List<String> rulesOf(Map<String, Object> realm) {
		Map<String, Object> settings = (Map<String, Object>) realm.get("settings");
		Object policies = (settings != null) ? settings.get("policies") : null;
		return (policies instanceof List<?> list) ? list.stream().map(String::valueOf).toList() : List.of();
	}

	/** A client id as one path segment of a redirect (it may hold ":" or "~"). */
	private static String pathSegment(String clientId) {
		return UriUtils.encodePathSegment(clientId, StandardCharsets.UTF_8);
	}

}
