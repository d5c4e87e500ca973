package jp.hitotsu.console;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What the console's forms share: times typed in the console's zone turned into the API's
 * ISO-8601 with an offset (and back, to fill a form), and a form shown again with the API's
 * refusal beside the fields it names.
 */
@ConsoleServed
@Component
class ConsoleForms {

	private static final DateTimeFormatter LOCAL_INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

	private final ConsoleProperties properties;

	private final MessageSource messages;

	ConsoleForms(ConsoleProperties properties, MessageSource messages) {
		this.properties = properties;
		this.messages = messages;
	}

	/**
	 * A {@code datetime-local} value read in the console's zone, as the API takes times;
	 * {@code null} when blank.
	 * @throws AdminApiException a 400 naming the field when it is not a date and time, so
	 * that the form shows it like the API's own refusals
	 */
	String instant(String field, String local) {
		if (local == null || local.isBlank()) {
			return null;
		}
		try {
			return LocalDateTime.parse(local.strip()).atZone(this.properties.timeZone()).toOffsetDateTime().toString();
		}
		catch (DateTimeParseException ex) {
			throw invalid(field, "console.form.not-time", local);
		}
	}

	/** An API time as a {@code datetime-local} value in the console's zone; blank when absent. */
	String local(Object iso) {
		if (iso == null) {
			return "";
		}
		return OffsetDateTime.parse(iso.toString())
			.atZoneSameInstant(this.properties.timeZone())
			.truncatedTo(ChronoUnit.MINUTES)
			.format(LOCAL_INPUT);
	}

	/** A refusal of what was typed in a field, worded in the administrator's language. */
	AdminApiException invalid(String field, String messageKey, Object... arguments) {
		String message = this.messages.getMessage(messageKey, arguments, LocaleContextHolder.getLocale());
		return new AdminApiException(400, "invalid", message, List.of(Map.<String, Object>of("field", field, "message", message)));
	}

	/**
	 * Shows the form again after a refusal of what was typed (400), or of the change as it
	 * stands (409, 412: someone else's change, a unit still occupied): with the API's status,
	 * each field's message in {@code fieldErrors} and the problem's detail in
	 * {@code formError} when it names no field. The form keeps what was typed: the caller
	 * put it in the model. Any other refusal is the problem page's.
	 */
	static String refused(AdminApiException refusal, String view, Model model, HttpServletResponse response) {
		int status = refusal.getStatus();
		if (status != 400 && status != 409 && status != 412) {
			throw refusal;
		}
		Map<String, String> fieldErrors = new LinkedHashMap<>();
		for (Map<String, Object> error : refusal.getErrors()) {
			if (error.get("field") != null) {
				fieldErrors.putIfAbsent(error.get("field").toString(), String.valueOf(error.get("message")));
			}
		}
		response.setStatus(status);
		model.addAttribute("fieldErrors", fieldErrors);
		model.addAttribute("formError", fieldErrors.isEmpty() ? refusal.getMessage() : null);
		return view;
	}

	/**
	 * The options of a choice in order: first the empty value worded by {@code emptyKey}
	 * (none when {@code null}), then each value with its text.
	 */
	Map<String, String> options(String emptyKey, Map<String, String> values) {
		Map<String, String> options = new LinkedHashMap<>();
		if (emptyKey != null) {
			options.put("", this.messages.getMessage(emptyKey, null, LocaleContextHolder.getLocale()));
		}
		options.putAll(values);
		return options;
	}

	/** Each value worded by the message {@code prefix + value}. */
	Map<String, String> worded(String prefix, List<String> values) {
		Map<String, String> worded = new LinkedHashMap<>();
		values.forEach((value) -> worded.put(value,
				this.messages.getMessage(prefix + value, null, LocaleContextHolder.getLocale())));
		return worded;
	}

	/** What was typed, as the API takes it: without surrounding blanks, {@code null} when empty. */
	static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
