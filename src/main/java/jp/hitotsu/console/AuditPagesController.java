package jp.hitotsu.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.audit.AuditEventType;

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
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A realm's audit trail: its events newest first with filters, one event with every field,
 * the verification of the chain and a signed checkpoint of its head to keep elsewhere.
 */
@ConsoleServed
@Controller
@RequestMapping("/admin/realms/{realm}/audit")
class AuditPagesController {

	private static final int PAGE_SIZE = 50;

	private static final List<String> OUTCOMES = List.of("success", "failure");

	private final AdminApi api;

	private final ConsoleForms forms;

	AuditPagesController(AdminApi api, ConsoleForms forms) {
		this.api = api;
		this.forms = forms;
	}

	/**
	 * The filters as typed: {@code from}/{@code to} in the console's zone
	 * ({@code datetime-local}), the rest as the API takes them.
	 */
	record Filter(String from, String to, String type, String subject, String client, String outcome, String after) {

		Map<String, String> typed() {
			Map<String, String> typed = new LinkedHashMap<>();
			typed.put("from", this.from);
			typed.put("to", this.to);
			typed.put("type", this.type);
			typed.put("subject", this.subject);
			typed.put("client", this.client);
			typed.put("outcome", this.outcome);
			return typed;
		}

	}

	@GetMapping
	String events(@PathVariable String realm, @ModelAttribute("filter") Filter filter, Model model,
			HttpServletResponse response) {
		// the admin API's "type" values by their names, as auditors search for them
		Map<String, String> types = new LinkedHashMap<>();
		for (AuditEventType type : AuditEventType.values()) {
			types.put(type.name(), type.name());
		}
		model.addAttribute("typeOptions", this.forms.options("console.audit.any", types));
		model.addAttribute("outcomeOptions",
				this.forms.options("console.audit.any", this.forms.worded("console.audit.outcome.", OUTCOMES)));
		try {
			Map<String, Object> parameters = new LinkedHashMap<>(filter.typed());
			parameters.put("from", this.forms.instant("from", filter.from()));
			parameters.put("to", this.forms.instant("to", filter.to()));
			parameters.put("after", filter.after());
			parameters.put("limit", PAGE_SIZE);
			Map<String, Object> page = this.api.query("/realms/{realm}/audit-events", parameters, realm);
			model.addAttribute("page", page);
			if (page.get("next") != null) {
				UriComponentsBuilder next = UriComponentsBuilder.fromPath("/admin/realms/{realm}/audit");
				filter.typed().forEach((name, value) -> {
					if (value != null && !value.isBlank()) {
						next.queryParam(name, value);
					}
				});
				model.addAttribute("nextPage",
						next.queryParam("after", page.get("next")).encode().buildAndExpand(realm).toUriString());
			}
		}
		catch (AdminApiException refusal) {
			return ConsoleForms.refused(refusal, "console/audit", model, response);
		}
		return "console/audit";
	}

	@GetMapping("/{id:\\d+}")
	String event(@PathVariable String realm, @PathVariable long id, Model model) {
		model.addAttribute("event", this.api.object("/realms/{realm}/audit-events/{id}", realm, id));
		return "console/audit-event";
	}

	/** The chain walked now; with a checkpoint kept earlier, also whether its end was cut off since. */
	@GetMapping("/verification")
	String verification(@PathVariable String realm, @RequestParam(required = false) String checkpoint,
			Model model, HttpServletResponse response) {
		model.addAttribute("checkpoint", checkpoint);
		try {
			model.addAttribute("verification", this.api.query("/realms/{realm}/audit-events/verification",
					Map.of("checkpoint", (checkpoint != null) ? checkpoint.strip() : ""), realm));
		}
		catch (AdminApiException refusal) {
			return ConsoleForms.refused(refusal, "console/audit-verification", model, response);
		}
		return "console/audit-verification";
	}

	/** What a checkpoint is for, with the button that signs one (and, after it, the one signed). */
	@GetMapping("/checkpoints")
	String checkpointForm(@PathVariable String realm) {
		return "console/audit-checkpoint";
	}

	/** Signs the chain's head: nothing changes, so no confirmation; the result shows once, after the redirect. */
	@PostMapping("/checkpoints")
	String checkpoint(@PathVariable String realm, RedirectAttributes redirect) {
		redirect.addFlashAttribute("signed",
				this.api.send(HttpMethod.POST, "/realms/{realm}/audit-events/checkpoints", null, realm));
		return "redirect:/admin/realms/{realm}/audit/checkpoints";
	}

}
