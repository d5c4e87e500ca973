package jp.hitotsu.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

import static jp.hitotsu.console.ConsoleForms.blankToNull;

/**
 * A realm's organisation units: the tree open now, one unit with its names over time, and
 * its changes — create or change, rename from a time, merge into another, close from a
 * time, delete one nothing ever referred to (the last three after a confirmation).
 */
@ConsoleServed
@Controller
@RequestMapping("/admin/realms/{realm}/units")
class UnitPagesController {

	/** The levels of the tree as the API names them, from the top. */
	private static final List<String> KINDS = List.of("bureau", "department", "section", "unit");

	private static final String UNIT = "/realms/{realm}/directory/units/{code}";

	private final AdminApi api;

	private final ConsoleForms forms;

	private final MessageSource messages;

	UnitPagesController(AdminApi api, ConsoleForms forms, MessageSource messages) {
		this.api = api;
		this.forms = forms;
		this.messages = messages;
	}

	/** A unit as typed; times in the console's zone. */
	record UnitForm(String code, String kind, String nameJa, String nameEn, String parent, String validFrom,
			String validTo) {
	}

	/** A rename, merge or close as typed; {@code effectiveAt} blank for now. */
	record ChangeForm(String nameJa, String nameEn, String into, String effectiveAt) {
	}

	/** A unit of the tree with how deep it sits (0 at the top). */
	record TreeRow(Map<String, Object> unit, int depth) {
	}

	@GetMapping
	String units(@PathVariable String realm, Model model) {
		model.addAttribute("tree", tree(DirectoryLists.all(this.api, "/realms/{realm}/directory/units", realm)));
		return "console/units";
	}

	/** The units in tree order: each after its parent, siblings by code (the API's order). */
	static List<TreeRow> tree(List<Map<String, Object>> units) {
		Set<Object> codes = units.stream().map((unit) -> unit.get("code")).collect(Collectors.toSet());
		Map<Object, List<Map<String, Object>>> children = new HashMap<>();
		List<Map<String, Object>> tops = new ArrayList<>();
		for (Map<String, Object> unit : units) {
			Object parent = unit.get("parent");
			// a parent closed by now leaves its open units at the top rather than out of the list
			if (parent == null || !codes.contains(parent)) {
				tops.add(unit);
			}
			else {
				children.computeIfAbsent(parent, (code) -> new ArrayList<>()).add(unit);
			}
		}
		List<TreeRow> rows = new ArrayList<>();
		tops.forEach((top) -> addWithChildren(rows, top, 0, children));
		return rows;
	}

	private static void addWithChildren(List<TreeRow> rows, Map<String, Object> unit, int depth,
			Map<Object, List<Map<String, Object>>> children) {
		rows.add(new TreeRow(unit, depth));
		children.getOrDefault(unit.get("code"), List.of())
			.forEach((child) -> addWithChildren(rows, child, depth + 1, children));
	}

	@GetMapping("/{code}")
	String unit(@PathVariable String realm, @PathVariable String code, Model model) {
		model.addAttribute("unit", this.api.object(UNIT, realm, code));
		// what the unit gives the people posted there (and below it)
		model.addAttribute("rules", DirectoryLists.all(this.api, RolePagesController.RULES, realm)
			.stream()
			.filter((rule) -> code.equals(rule.get("unit")))
			.toList());
		return "console/units-detail";
	}

	@GetMapping("/new")
	String newUnit(@PathVariable String realm, Model model) {
		return form(model, new UnitForm(null, "section", null, null, null, null, null), false);
	}

	@PostMapping("/new")
	String create(@PathVariable String realm, @ModelAttribute("form") UnitForm form, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		try {
			if (blankToNull(form.code()) == null) {
				throw this.forms.invalid("code", "console.form.required");
			}
			if (exists(realm, form.code().strip())) {
				// the API's PUT would change that unit: a new one needs a code of its own
				throw this.forms.invalid("code", "console.units.code-taken", form.code().strip());
			}
			return save(realm, form.code().strip(), form, Map.of(), "console.units.created", redirect);
		}
		catch (AdminApiException refusal) {
			form(model, form, false);
			return ConsoleForms.refused(refusal, "console/units-form", model, response);
		}
	}

	@GetMapping("/{code}/edit")
	String edit(@PathVariable String realm, @PathVariable String code, Model model) {
		Map<String, Object> unit = this.api.object(UNIT, realm, code);
		return form(model, new UnitForm(code, (String) unit.get("kind"), (String) unit.get("nameJa"),
				(String) unit.get("nameEn"), (String) unit.get("parent"), this.forms.local(unit.get("validFrom")),
				this.forms.local(unit.get("validTo"))), true);
	}

	@PostMapping("/{code}/edit")
	String update(@PathVariable String realm, @PathVariable String code, @ModelAttribute("form") UnitForm form,
			Model model, HttpServletResponse response, RedirectAttributes redirect) {
		try {
			return save(realm, code, form, this.api.object(UNIT, realm, code), "console.units.saved", redirect);
		}
		catch (AdminApiException refusal) {
			form(model, new UnitForm(code, form.kind(), form.nameJa(), form.nameEn(), form.parent(), form.validFrom(),
					form.validTo()), true);
			return ConsoleForms.refused(refusal, "console/units-form", model, response);
		}
	}

	private String form(Model model, UnitForm form, boolean editing) {
		model.addAttribute("form", form);
		model.addAttribute("kindOptions", this.forms.options(null, this.forms.worded("console.units.kind.", KINDS)));
		model.addAttribute("editing", editing);
		return "console/units-form";
	}

	/**
	 * Creates or changes the unit. A time left as the form showed it keeps the unit's own
	 * (the form shows minutes; the unit may start at 09:00:37).
	 * @param current the unit as it is, empty for a new one
	 */
	private String save(String realm, String code, UnitForm form, Map<String, Object> current, String notice,
			RedirectAttributes redirect) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("kind", blankToNull(form.kind()));
		body.put("nameJa", blankToNull(form.nameJa()));
		body.put("nameEn", blankToNull(form.nameEn()));
		body.put("parent", blankToNull(form.parent()));
		for (String field : List.of("validFrom", "validTo")) {
			String typed = (field.equals("validFrom")) ? form.validFrom() : form.validTo();
			Object kept = current.get(field);
			body.put(field, (kept != null && this.forms.local(kept).equals(typed)) ? kept
					: this.forms.instant(field, typed));
		}
		this.api.send(HttpMethod.PUT, UNIT, body, realm, code);
		redirect.addFlashAttribute("notice", message(notice, code));
		return "redirect:/admin/realms/{realm}/units/" + encode(code);
	}

	private boolean exists(String realm, String code) {
		try {
			this.api.object(UNIT, realm, code);
			return true;
		}
		catch (AdminApiException refusal) {
			if (refusal.getStatus() == 404) {
				return false;
			}
			throw refusal;
		}
	}

	@GetMapping("/{code}/rename")
	String renameForm(@PathVariable String realm, @PathVariable String code, Model model) {
		Map<String, Object> unit = this.api.object(UNIT, realm, code);
		model.addAttribute("unit", unit);
		model.addAttribute("form",
				new ChangeForm((String) unit.get("nameJa"), (String) unit.get("nameEn"), null, null));
		return "console/units-rename";
	}

	@PostMapping("/{code}/rename")
	String rename(@PathVariable String realm, @PathVariable String code, @ModelAttribute("form") ChangeForm form,
			Model model, HttpServletResponse response, RedirectAttributes redirect) {
		try {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("nameJa", blankToNull(form.nameJa()));
			body.put("nameEn", blankToNull(form.nameEn()));
			body.put("effectiveAt", this.forms.instant("effectiveAt", form.effectiveAt()));
			this.api.send(HttpMethod.POST, UNIT + "/rename", body, realm, code);
		}
		catch (AdminApiException refusal) {
			model.addAttribute("unit", this.api.object(UNIT, realm, code));
			return ConsoleForms.refused(refusal, "console/units-rename", model, response);
		}
		redirect.addFlashAttribute("notice", message("console.units.renamed", code));
		return "redirect:/admin/realms/{realm}/units/" + encode(code);
	}

	/** "Are you sure" for a merge, close or delete, with what each needs typed. */
	@GetMapping("/{code}/{change:merge|close|delete}")
	String confirm(@PathVariable String realm, @PathVariable String code, @PathVariable String change,
			Model model) {
		model.addAttribute("unit", this.api.object(UNIT, realm, code));
		model.addAttribute("change", change);
		model.addAttribute("form", new ChangeForm(null, null, null, null));
		return "console/units-confirm";
	}

	@PostMapping("/{code}/{change:merge|close|delete}")
	String change(@PathVariable String realm, @PathVariable String code, @PathVariable String change,
			@ModelAttribute("form") ChangeForm form, Model model, HttpServletResponse response,
			RedirectAttributes redirect) {
		String notice;
		try {
			notice = switch (change) {
				case "delete" -> {
					this.api.send(HttpMethod.DELETE, UNIT, null, realm, code);
					yield message("console.units.deleted", code);
				}
				case "close" -> {
					this.api.send(HttpMethod.POST, UNIT + "/close", changeBody(form), realm, code);
					yield message("console.units.closed", code);
				}
				default -> {
					Map<String, Object> merged = this.api.send(HttpMethod.POST, UNIT + "/merge", changeBody(form),
							realm, code);
					Object rules = merged.get("rulesOnMergedUnit");
					yield message("console.units.merged", code, merged.get("into"), merged.get("movedPosts"),
							(rules instanceof List<?> list) ? list.size() : 0);
				}
			};
		}
		catch (AdminApiException refusal) {
			model.addAttribute("unit", this.api.object(UNIT, realm, code));
			model.addAttribute("change", change);
			return ConsoleForms.refused(refusal, "console/units-confirm", model, response);
		}
		redirect.addFlashAttribute("notice", notice);
		return "redirect:/admin/realms/{realm}/units" + ("delete".equals(change) ? "" : "/" + encode(code));
	}

	private Map<String, Object> changeBody(ChangeForm form) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("into", blankToNull(form.into()));
		body.put("effectiveAt", this.forms.instant("effectiveAt", form.effectiveAt()));
		return body;
	}

	private String message(String key, Object... arguments) {
		return this.messages.getMessage(key, arguments, LocaleContextHolder.getLocale());
	}

	private static String encode(String code) {
		return UriUtils.encodePathSegment(code, StandardCharsets.UTF_8);
	}

}
