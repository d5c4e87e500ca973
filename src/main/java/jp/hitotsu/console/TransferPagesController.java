package jp.hitotsu.console;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Transfer batches (the yearly moves of 1 April): the list, the upload of a CSV file with
 * its validation report, a batch's dry run, and scheduling, cancelling or reversing it,
 * each after a confirmation. Everything goes through the admin API's
 * {@code /realms/{realm}/transfers}.
 */
@ConsoleServed
@Controller
@RequestMapping("/admin/realms/{realm}/transfers")
class TransferPagesController {

	/** As the admin API names them; the list's filter offers these. */
	static final List<String> STATUSES = List.of("validated", "scheduled", "applied", "cancelled", "failed");

	/** The actions of a batch, and the statuses in which each may be asked for. */
	private static final Map<String, Set<String>> ACTIONS = Map.of("schedule", Set.of("validated"), "cancel",
			Set.of("validated", "scheduled"), "reverse", Set.of("applied"));

	/** The newest batches shown: a city uploads a handful a year. */
	private static final int LIST_LIMIT = 100;

	private static final MediaType CSV = new MediaType("text", "csv");

	private final AdminApi api;

	private final MessageSource messages;

	private final TransferPagesProperties properties;

	TransferPagesController(AdminApi api, MessageSource messages, TransferPagesProperties properties) {
		this.api = api;
		this.messages = messages;
		this.properties = properties;
	}

	@GetMapping
	String list(@PathVariable String realm, @RequestParam(required = false) String status, Model model) {
		boolean filtered = status != null && !status.isBlank();
		model.addAttribute("status", filtered ? status : "");
		model.addAttribute("statuses", STATUSES);
		model.addAttribute("batches",
				filtered ? this.api.list("/realms/{realm}/transfers?status={status}&limit={limit}", realm, status,
						LIST_LIMIT) : this.api.list("/realms/{realm}/transfers?limit={limit}", realm, LIST_LIMIT));
		return "console/transfers";
	}

	@GetMapping("/upload")
	String uploadForm(@PathVariable String realm, Model model) {
		// the form alone calls nothing: ask the API whether this admin manages transfers here
		this.api.list("/realms/{realm}/transfers?limit={limit}", realm, 1);
		model.addAttribute("maxSize", maxSize());
		return "console/transfer-upload";
	}

	/**
	 * The file goes to the admin API as it is: the API checks it whole and keeps nothing
	 * when a line is bad, and its 400 lists every bad line, already in the admin's language.
	 */
	@PostMapping("/upload")
	String upload(@PathVariable String realm, @RequestParam(name = "file", required = false) MultipartFile file,
			Model model, Locale locale, HttpServletResponse response, RedirectAttributes redirect) {
		model.addAttribute("maxSize", maxSize());
		if (file == null || file.isEmpty()) {
			return fileError(model, response, HttpServletResponse.SC_BAD_REQUEST,
					this.messages.getMessage("console.transfers.file.empty", null, locale));
		}
		String name = (file.getOriginalFilename() != null) ? file.getOriginalFilename() : "";
		model.addAttribute("fileName", name);
		if (!isCsv(file, name)) {
			return fileError(model, response, HttpServletResponse.SC_BAD_REQUEST,
					this.messages.getMessage("console.transfers.file.not-csv", new Object[] { name }, locale));
		}
		if (file.getSize() > this.properties.maxUploadSize().toBytes()) {
			return fileError(model, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
					this.messages.getMessage("console.transfers.file.too-large", new Object[] { name, maxSize() }, locale));
		}
		byte[] content;
		try {
			content = file.getBytes();
		}
		catch (IOException ex) {
			// the upload broke off (or its temporary file went): the person can send it again
			return fileError(model, response, HttpServletResponse.SC_BAD_REQUEST,
					this.messages.getMessage("console.transfers.file.unreadable", null, locale));
		}
		Map<String, Object> batch;
		try {
			batch = this.api.upload("/realms/{realm}/transfers", CSV, content, realm);
		}
		catch (AdminApiException refusal) {
			if (refusal.getStatus() != HttpServletResponse.SC_BAD_REQUEST) {
				throw refusal;
			}
			if (refusal.getErrors().isEmpty()) {
				// refused as a whole, not line by line: the API's words say why
				return fileError(model, response, HttpServletResponse.SC_BAD_REQUEST, refusal.getMessage());
			}
			model.addAttribute("report", refusal.getErrors());
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			return "console/transfer-upload";
		}
		redirect.addFlashAttribute("notice", this.messages.getMessage("console.transfers.uploaded",
				new Object[] { name, batch.get("rows") }, locale));
		return "redirect:/admin/realms/{realm}/transfers/" + batch.get("id");
	}

	@GetMapping("/{id}")
	String detail(@PathVariable String realm, @PathVariable String id, Model model) {
		Map<String, Object> batch = this.api.object("/realms/{realm}/transfers/{id}", realm, id);
		model.addAttribute("batch", batch);
		model.addAttribute("actions", ACTIONS.entrySet()
			.stream()
			.filter((action) -> action.getValue().contains(batch.get("status")))
			.map(Map.Entry::getKey)
			.sorted()
			.toList());
		// the dry run compares with the posts held at the batch's time: meaningful until it applies
		if (ACTIONS.get("cancel").contains(batch.get("status"))) {
			Map<String, Object> diff = this.api.object("/realms/{realm}/transfers/{id}/diff", realm, id);
			model.addAttribute("diff", diff);
			model.addAttribute("counts", counts(changes(diff)));
		}
		return "console/transfer";
	}

	@GetMapping("/{id}/{action:schedule|cancel|reverse}")
	String confirm(@PathVariable String realm, @PathVariable String id, @PathVariable String action, Model model) {
		model.addAttribute("batch", this.api.object("/realms/{realm}/transfers/{id}", realm, id));
		model.addAttribute("action", action);
		return "console/transfer-confirm";
	}

	@PostMapping("/{id}/{action:schedule|cancel}")
	String act(@PathVariable String realm, @PathVariable String id, @PathVariable String action, Model model,
			Locale locale, HttpServletResponse response, RedirectAttributes redirect) {
		try {
			this.api.send(HttpMethod.POST, "/realms/{realm}/transfers/{id}/{action}", null, realm, id, action);
		}
		catch (AdminApiException refusal) {
			return refusedAction(realm, id, action, refusal, model, response);
		}
		redirect.addFlashAttribute("notice", this.messages.getMessage("console.transfers." + action + ".done",
				null, locale));
		return "redirect:/admin/realms/{realm}/transfers/{id}";
	}

	/** The reverse batch is a new batch, validated: the admin looks at its diff and schedules it. */
	@PostMapping("/{id}/reverse")
	String reverse(@PathVariable String realm, @PathVariable String id,
			@RequestParam(required = false) String effectiveDate, Model model, Locale locale,
			HttpServletResponse response, RedirectAttributes redirect) {
		Map<String, Object> reversal;
		try {
			reversal = (effectiveDate == null || effectiveDate.isBlank())
					? this.api.send(HttpMethod.POST, "/realms/{realm}/transfers/{id}/reverse", null, realm, id)
					: this.api.send(HttpMethod.POST, "/realms/{realm}/transfers/{id}/reverse?effectiveDate={date}",
							null, realm, id, effectiveDate.strip());
		}
		catch (AdminApiException refusal) {
			model.addAttribute("effectiveDate", effectiveDate);
			model.addAttribute("dateError", refusal.messageFor("effectiveDate"));
			return refusedAction(realm, id, "reverse", refusal, model, response);
		}
		redirect.addFlashAttribute("notice", this.messages.getMessage("console.transfers.reverse.done", null, locale));
		return "redirect:/admin/realms/{realm}/transfers/" + reversal.get("id");
	}

	/**
	 * A batch that is no longer valid (a unit closed since the upload) is refused with its
	 * lines: shown on the confirmation page. Any other refusal is the console's problem page.
	 */
	private String refusedAction(String realm, String id, String action, AdminApiException refusal, Model model,
			HttpServletResponse response) {
		if (refusal.getStatus() != HttpServletResponse.SC_BAD_REQUEST) {
			throw refusal;
		}
		model.addAttribute("batch", this.api.object("/realms/{realm}/transfers/{id}", realm, id));
		model.addAttribute("action", action);
		model.addAttribute("refusal", refusal.getMessage());
		model.addAttribute("report", refusal.getErrors().stream().filter((error) -> error.get("line") != null).toList());
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		return "console/transfer-confirm";
	}

	private String fileError(Model model, HttpServletResponse response, int status, String message) {
		model.addAttribute("fileError", message);
		response.setStatus(status);
		return "console/transfer-upload";
	}

	/**
	 * A CSV file by its name or its type. Spreadsheet programs on Windows make browsers
	 * send CSV as {@code application/vnd.ms-excel}, so the name decides first.
	 */
	private static boolean isCsv(MultipartFile file, String name) {
		if (name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
			return true;
		}
		String type = file.getContentType();
		return type != null && (type.startsWith("text/csv") || type.startsWith("text/plain"));
	}

	/** The limit as people say it: "16 MB", "64 KB". */
	private String maxSize() {
		DataSize size = this.properties.maxUploadSize();
		return (size.toMegabytes() >= 1) ? size.toMegabytes() + " MB" : size.toKilobytes() + " KB";
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> changes(Map<String, Object> diff) {
		Object changes = diff.get("changes");
		return (changes instanceof List<?> list) ? (List<Map<String, Object>>) list : List.of();
	}

	/**
	 * How many lines of each action, and how many people hold more than one post after
	 * the batch (concurrent or acting posts), in a fixed order for the summary table.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Integer> counts(List<Map<String, Object>> changes) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (String action : List.of("TRANSFER", "JOIN", "LEAVE", "RESTORE")) {
			counts.put(action, 0);
		}
		counts.put("CONCURRENT", 0);
		for (Map<String, Object> change : changes) {
			counts.merge(String.valueOf(change.get("action")), 1, Integer::sum);
			Object after = change.get("after");
			Object orgs = (after instanceof Map<?, ?> situation) ? ((Map<String, Object>) situation).get("orgs") : null;
			if (orgs instanceof List<?> units && units.size() > 1) {
				counts.merge("CONCURRENT", 1, Integer::sum);
			}
		}
		return counts;
	}

}
