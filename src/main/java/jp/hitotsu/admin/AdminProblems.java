package jp.hitotsu.admin;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.LocaleResolver;

/**
 * RFC 9457 problem details of the admin API, in the caller's language (Japanese or
 * English, as the pages). {@code type} names the problem ({@code urn:hitotsu:problem:...})
 * for programs; {@code title} and {@code detail} are for people.
 */
@Component
class AdminProblems {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static final String ERRORS = "errors";

	private final MessageSource messages;

	private final LocaleResolver locales;

	AdminProblems(MessageSource messages, LocaleResolver locales) {
		this.messages = messages;
		this.locales = locales;
	}

	ProblemDetail problem(HttpServletRequest request, HttpStatus status, String code, String messageKey,
			Object... arguments) {
		return worded(request, status, code, this.messages.getMessage(messageKey, arguments, locale(request)));
	}

	/** A problem whose detail is already in the caller's words (not a message key). */
	private ProblemDetail worded(HttpServletRequest request, HttpStatus status, String code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create("urn:hitotsu:problem:" + code));
		problem.setTitle(this.messages.getMessage("error.title." + status.value(), null, status.getReasonPhrase(),
				locale(request)));
		problem.setInstance(URI.create(request.getRequestURI()));
		return problem;
	}

	/**
	 * A problem Spring MVC made (wrong method or media type, no such path, ...) in the
	 * API's terms: a type of ours named after the status ({@code method-not-allowed}), the
	 * title and, where this project words it ({@code admin.problem.spring.<exception>}), the
	 * detail in the caller's language; Spring's English detail otherwise.
	 */
	ProblemDetail adopt(HttpServletRequest request, Exception ex, ProblemDetail spring) {
		HttpStatus status = HttpStatus.valueOf(spring.getStatus());
		Object[] arguments = (ex instanceof ErrorResponse error) ? error.getDetailMessageArguments() : null;
		String detail = this.messages.getMessage("admin.problem.spring." + ex.getClass().getSimpleName(), arguments,
				spring.getDetail(), locale(request));
		return worded(request, status, status.name().toLowerCase(Locale.ROOT).replace('_', '-'), detail);
	}

	/** A 400 that lists each bad field (or line) with what is wrong with it. */
	ProblemDetail invalidFields(HttpServletRequest request, List<?> errors) {
		ProblemDetail problem = problem(request, HttpStatus.BAD_REQUEST, "invalid-request", "admin.problem.invalid");
		problem.setProperty(ERRORS, errors);
		return problem;
	}

	String message(HttpServletRequest request, String messageKey, Object... arguments) {
		return this.messages.getMessage(messageKey, arguments, locale(request));
	}

	/** Writes a problem from a filter, where no message converter is at hand. */
	void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.getType().toString());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		body.put("instance", problem.getInstance().toString());
		if (problem.getProperties() != null) {
			body.putAll(problem.getProperties());
		}
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(JSON.writeValueAsString(body));
	}

	private Locale locale(HttpServletRequest request) {
		return this.locales.resolveLocale(request);
	}

	/** One bad field or parameter and what is wrong with it. */
	record FieldError(String field, String message) {
	}

	/**
	 * What is wrong on one line of an uploaded file.
	 * @param field the column, absent when the line as a whole is wrong
	 */
	record LineError(int line, String field, String message) {
	}

}
