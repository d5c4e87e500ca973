package jp.hitotsu.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

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

import static jp.hitotsu.console.ConsoleForms.blankToNull;

/**
 * Finding a person (one box for username, e-mail, employee number or the start of a name),
 * a person's page with what the administrator may see and do about them, and the forms
 * that create an account and correct a person's data.
 */
@ConsoleServed
@Controller
class UserPagesController {

	/** The fields of a new account, in the form's order. */
	static final List<String> NEW_FIELDS = List.of("username", "familyName", "givenName", "displayName", "email");

	/** A person's text fields the edit form corrects, in its order ({@code emailVerified} is a checkbox). */
	static final List<String> PERSON_FIELDS = List.of("familyName", "givenName", "familyNameKana", "givenNameKana",
			"romanisedName", "email", "phoneNumber");

	/** What each form cannot leave empty: a new account needs only its username, a person both names. */
	private static final Map<String, List<String>> REQUIRED = Map.of("new", List.of("username"), "edit",
			List.of("familyName", "givenName"));

	private final AdminApi api;

	private final MessageSource messages;

	UserPagesController(AdminApi api, MessageSource messages) {
		this.api = api;
		this.messages = messages;
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

	/** The person's page: each part read only when the administrator's roles allow it, so none is refused. */
	@GetMapping("/admin/realms/{realm}/users/{id}")
	String user(@PathVariable String realm, @PathVariable String id, Model model) {
		model.addAttribute("user", summary(realm, id));
		if (holds(model, "MANAGE_PEOPLE")) {
			model.addAttribute("person", this.api.object("/realms/{realm}/users/{id}", realm, id));
			model.addAttribute("personFields", PERSON_FIELDS);
		}
		if (holds(model, "VIEW_LOCK")) {
			model.addAttribute("lock", this.api.object("/realms/{realm}/users/{id}/lock", realm, id));
		}
		if (holds(model, "MANAGE_FACTORS")) {
			model.addAttribute("factors", this.api.object("/realms/{realm}/users/{id}/factors", realm, id));
		}
		if (holds(model, "MANAGE_SESSIONS")) {
			model.addAttribute("sessions", this.api.list("/realms/{realm}/users/{id}/sessions", realm, id));
		}
		return "console/user";
	}

	@GetMapping("/admin/realms/{realm}/users/new")
	String newUser(@PathVariable String realm, Model model) {
		// nothing to read from the API before the form; its POST would be refused anyway
		require(model, "MANAGE_ACCOUNTS", realm);
		model.addAttribute("form", Map.of("enabled", "true"));
		return form(model, "new", Map.of());
	}

	@PostMapping("/admin/realms/{realm}/users/new")
	String create(@PathVariable String realm, @RequestParam Map<String, String> input, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		Map<String, Object> account = new LinkedHashMap<>();
		for (String field : NEW_FIELDS) {
			account.put(field, blankToNull(input.get(field)));
		}
		account.put("enabled", input.containsKey("enabled"));
		Map<String, Object> created;
		try {
			created = this.api.send(HttpMethod.POST, "/realms/{realm}/users", account, realm);
		}
		catch (AdminApiException refusal) {
			if (refusal.getStatus() != 400 && refusal.getStatus() != 409) {
				throw refusal;
			}
			response.setStatus(refusal.getStatus());
			model.addAttribute("form", input);
			// a taken username is the username field's fault
			return form(model, "new", ("username-taken".equals(refusal.getCode()))
					? Map.of("username", refusal.getMessage()) : fieldErrors(refusal, NEW_FIELDS, model));
		}
		redirect.addFlashAttribute("notice", message("console.user.created", created.get("username")));
		return "redirect:/admin/realms/{realm}/users/" + created.get("id");
	}

	@GetMapping("/admin/realms/{realm}/users/{id}/edit")
	String edit(@PathVariable String realm, @PathVariable String id, Model model) {
		Map<String, Object> person = this.api.object("/realms/{realm}/users/{id}", realm, id);
		Map<String, Object> form = new LinkedHashMap<>();
		PERSON_FIELDS.forEach((field) -> form.put(field, person.get(field)));
		form.put("emailVerified", Boolean.TRUE.equals(person.get("emailVerified")) ? "true" : null);
		form.put("version", person.get("version"));
		model.addAttribute("person", person);
		model.addAttribute("form", form);
		return form(model, "edit", Map.of());
	}

	/**
	 * A merge patch of every field of the form, at the version the form was read at: a change
	 * made by someone else since is refused (412) rather than overwritten.
	 */
	@PostMapping("/admin/realms/{realm}/users/{id}/edit")
	String change(@PathVariable String realm, @PathVariable String id, @RequestParam Map<String, String> input,
			Model model, HttpServletResponse response, RedirectAttributes redirect) {
		Map<String, Object> patch = new LinkedHashMap<>();
		for (String field : PERSON_FIELDS) {
			patch.put(field, blankToNull(input.get(field)));
		}
		patch.put("emailVerified", input.containsKey("emailVerified"));
		try {
			this.api.sendIfMatch(HttpMethod.PATCH, "/realms/{realm}/users/{id}", patch, input.get("version"), realm,
					id);
		}
		catch (AdminApiException refusal) {
			if (refusal.getStatus() != 400 && refusal.getStatus() != 412) {
				throw refusal;
			}
			response.setStatus(refusal.getStatus());
			model.addAttribute("person", this.api.object("/realms/{realm}/users/{id}", realm, id));
			model.addAttribute("form", input);
			if (refusal.getStatus() == 412) {
				model.addAttribute("formError", message("console.user.edit.changed"));
			}
			return form(model, "edit", fieldErrors(refusal, PERSON_FIELDS, model));
		}
		redirect.addFlashAttribute("notice", message("console.user.saved"));
		return "redirect:/admin/realms/{realm}/users/{id}";
	}

	/** Who an account is, as every administrator who may find it may see. */
	Map<String, Object> summary(String realm, String id) {
		return this.api.object("/realms/{realm}/users/{id}/summary", realm, id);
	}

	private static String form(Model model, String mode, Map<String, String> errors) {
		model.addAttribute("mode", mode);
		model.addAttribute("errors", errors);
		model.addAttribute("fields", "new".equals(mode) ? NEW_FIELDS : PERSON_FIELDS);
		model.addAttribute("requiredFields", REQUIRED.get(mode));
		return "console/user-form";
	}

	/**
	 * The API's message for each field of the form it named; what it said of anything else
	 * (the whole body) becomes the form's error.
	 */
	private static Map<String, String> fieldErrors(AdminApiException refusal, List<String> fields, Model model) {
		Map<String, String> errors = new LinkedHashMap<>();
		for (Map<String, Object> error : refusal.getErrors()) {
			Object field = error.get("field");
			if (field != null && (fields.contains(field) || "emailVerified".equals(field))) {
				errors.putIfAbsent(field.toString(), String.valueOf(error.get("message")));
			}
			else {
				model.addAttribute("formError", refusal.getMessage());
			}
		}
		return errors;
	}

	/** Whether the administrator's roles hold an admin API permission in this page's realm. */
	static boolean holds(Model model, String permission) {
		Object realm = model.getAttribute("consoleRealm");
		return realm instanceof Map<?, ?> summary && summary.get("permissions") instanceof List<?> permissions
				&& permissions.contains(permission);
	}

	/**
	 * Refuses a page whose every use the API would refuse, before the administrator fills it
	 * in: 403, worded as the API words it.
	 */
	void require(Model model, String permission, String realm) {
		if (!holds(model, permission)) {
			throw new AdminApiException(403, "forbidden", message("console.forbidden", realm), List.of());
		}
	}

	private String message(String key, Object... arguments) {
		return this.messages.getMessage(key, arguments, LocaleContextHolder.getLocale());
	}

}
