package jp.hitotsu.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import static jp.hitotsu.console.ConsoleForms.blankToNull;

/**
 * The directory's role rules of a realm (who gets which role in which client by unit,
 * post or group), and its groups, which SCIM feeds and the console only shows.
 */
@ConsoleServed
@Controller
@RequestMapping("/admin/realms/{realm}/roles")
class RolePagesController {

	private static final int PAGE_SIZE = 100;

	static final String RULES = "/realms/{realm}/directory/role-rules";

	private final AdminApi api;

	private final ConsoleForms forms;

	private final MessageSource messages;

	RolePagesController(AdminApi api, ConsoleForms forms, MessageSource messages) {
		this.api = api;
		this.forms = forms;
		this.messages = messages;
	}

	/** A rule as typed: {@code group} alone, or {@code unit}, {@code post} or both. */
	record RuleForm(String client, String role, String unit, String post, String group) {

		Map<String, Object> body() {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("client", blankToNull(this.client));
			body.put("role", blankToNull(this.role));
			body.put("unit", blankToNull(this.unit));
			body.put("post", blankToNull(this.post));
			body.put("group", blankToNull(this.group));
			return body;
		}

	}

	@GetMapping
	String rules(@PathVariable String realm, @RequestParam(defaultValue = "0") int first, Model model) {
		model.addAttribute("rules", this.api.query(RULES,
				Map.of("first", first, "max", PAGE_SIZE), realm));
		model.addAttribute("groups", groups(realm));
		return "console/roles";
	}

	/** The form for a new rule; from a unit's page, for that unit. */
	@GetMapping("/new")
	String newRule(@PathVariable String realm, @RequestParam(required = false) String unit, Model model) {
		model.addAttribute("rule", new RuleForm(null, null, unit, null, null));
		return ruleForm(realm, model);
	}

	@PostMapping("/new")
	String addRule(@PathVariable String realm, @ModelAttribute("rule") RuleForm rule, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		try {
			this.api.send(HttpMethod.POST, RULES, rule.body(), realm);
		}
		catch (AdminApiException refusal) {
			return ConsoleForms.refused(refusal, ruleForm(realm, model), model, response);
		}
		redirect.addFlashAttribute("notice", this.messages.getMessage("console.roles.added",
				new Object[] { rule.role(), rule.client() }, LocaleContextHolder.getLocale()));
		return "redirect:/admin/realms/{realm}/roles";
	}

	/** The form for a rule, offering the realm's groups by name. */
	private String ruleForm(String realm, Model model) {
		Map<String, String> groups = new LinkedHashMap<>();
		groups(realm).forEach((id, group) -> groups.put(id, String.valueOf(group.get("displayName"))));
		model.addAttribute("groupOptions", this.forms.options("console.roles.group.none", groups));
		return "console/roles-new";
	}

	@GetMapping("/{id}/delete")
	String confirmDelete(@PathVariable String realm, @PathVariable String id, Model model) {
		model.addAttribute("rule", rule(realm, id));
		model.addAttribute("groups", groups(realm));
		return "console/roles-delete";
	}

	@PostMapping("/{id}/delete")
	String delete(@PathVariable String realm, @PathVariable String id, RedirectAttributes redirect) {
		Map<String, Object> rule = rule(realm, id);
		this.api.send(HttpMethod.DELETE, "/realms/{realm}/directory/role-rules/{id}", null, realm, id);
		redirect.addFlashAttribute("notice", this.messages.getMessage("console.roles.deleted",
				new Object[] { rule.get("role"), rule.get("client") }, LocaleContextHolder.getLocale()));
		return "redirect:/admin/realms/{realm}/roles";
	}

	@GetMapping("/groups/{id}")
	String group(@PathVariable String realm, @PathVariable String id, @RequestParam(defaultValue = "0") int first,
			Model model) {
		model.addAttribute("members", this.api.query("/realms/{realm}/directory/groups/{id}/members",
				Map.of("first", first, "max", PAGE_SIZE), realm, id));
		model.addAttribute("group", groups(realm).get(id));
		model.addAttribute("groupId", id);
		return "console/roles-group";
	}

	/** The realm's groups by id, for rules to name theirs (a realm has a few dozen at most). */
	private Map<String, Map<String, Object>> groups(String realm) {
		return DirectoryLists.all(this.api, "/realms/{realm}/directory/groups", realm)
			.stream()
			.collect(Collectors.toMap((group) -> group.get("id").toString(), Function.identity(), (a, b) -> a,
					LinkedHashMap::new));
	}

	/** A rule by id: the API lists rules but shows none alone. */
	private Map<String, Object> rule(String realm, String id) {
		for (Map<String, Object> rule : DirectoryLists.all(this.api, RULES, realm)) {
			if (id.equals(rule.get("id"))) {
				return rule;
			}
		}
		String detail = this.messages.getMessage("console.roles.unknown", new Object[] { id, realm },
				LocaleContextHolder.getLocale());
		throw new AdminApiException(404, "unknown-directory-entry", detail, List.of());
	}

}
