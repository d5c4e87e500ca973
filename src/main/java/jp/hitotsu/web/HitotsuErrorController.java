package jp.hitotsu.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Every error the server answers: never a stack trace. Programs get OAuth-style JSON
 * ({@code error}, {@code error_description}); browsers a page in their language. The
 * description is ours only: messages of unexpected exceptions are logged, not shown.
 */
@Controller
@RequestMapping("/error")
class HitotsuErrorController implements ErrorController {

	private static final Logger logger = LoggerFactory.getLogger(HitotsuErrorController.class);

	private static final String ADMIN_API = "/admin/api/";

	private final MessageSource messages;

	HitotsuErrorController(MessageSource messages) {
		this.messages = messages;
	}

	@RequestMapping(produces = MediaType.TEXT_HTML_VALUE)
	ModelAndView page(HttpServletRequest request, HttpServletResponse response, Locale locale) {
		HttpStatus status = status(request);
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("status", status.value());
		model.put("title", this.messages.getMessage("error.title." + titleKey(status), null, locale));
		model.put("message", describe(request, status, locale));
		return new ModelAndView("error", model, status);
	}

	@RequestMapping
	ResponseEntity<?> json(HttpServletRequest request, Locale locale) {
		HttpStatus status = status(request);
		if (failedPath(request).startsWith(ADMIN_API)) {
			return ResponseEntity.status(status).body(problem(request, status, locale));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", errorCode(request, status));
		body.put("error_description", describe(request, status, Locale.ENGLISH));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
	}

	/**
	 * The admin API's errors are RFC 9457 problems in the caller's language, also those that
	 * never reached its handlers (a database outage): {@code type} from the OAuth-style code.
	 */
	private ProblemDetail problem(HttpServletRequest request, HttpStatus status, Locale locale) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, describe(request, status, locale));
		problem.setType(URI.create("urn:hitotsu:problem:" + errorCode(request, status).replace('_', '-')));
		problem.setTitle(this.messages.getMessage("error.title." + titleKey(status), null, locale));
		problem.setInstance(URI.create(failedPath(request)));
		return problem;
	}

	private static String failedPath(HttpServletRequest request) {
		Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		return (path instanceof String failed) ? failed : request.getRequestURI();
	}

	private String describe(HttpServletRequest request, HttpStatus status, Locale locale) {
		Object key = request.getAttribute(ErrorResponses.MESSAGE_KEY);
		if (key instanceof String messageKey) {
			Object[] arguments = (Object[]) request.getAttribute(ErrorResponses.MESSAGE_ARGUMENTS);
			return this.messages.getMessage(messageKey, arguments, locale);
		}
		Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		if (status.is5xxServerError()) {
			logger.error("Request {} failed", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
					(exception instanceof Throwable throwable) ? throwable : null);
		}
		return this.messages.getMessage("error.message." + titleKey(status), null, locale);
	}

	private static String errorCode(HttpServletRequest request, HttpStatus status) {
		Object code = request.getAttribute(ErrorResponses.ERROR_CODE);
		if (code instanceof String errorCode) {
			return errorCode;
		}
		return switch (status) {
			case NOT_FOUND -> "not_found";
			case UNAUTHORIZED -> "unauthorized";
			case FORBIDDEN -> "access_denied";
			case METHOD_NOT_ALLOWED -> "method_not_allowed";
			case SERVICE_UNAVAILABLE -> "temporarily_unavailable";
			default -> status.is5xxServerError() ? "server_error" : "invalid_request";
		};
	}

	private static String titleKey(HttpStatus status) {
		return switch (status) {
			case NOT_FOUND, UNAUTHORIZED, FORBIDDEN, METHOD_NOT_ALLOWED, SERVICE_UNAVAILABLE -> String.valueOf(status.value());
			default -> status.is5xxServerError() ? "500" : "400";
		};
	}

	private static HttpStatus status(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		if (code == null) {
			// /error asked for directly: there is nothing there
			return HttpStatus.NOT_FOUND;
		}
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		return (status != null) ? status : HttpStatus.INTERNAL_SERVER_ERROR;
	}

}
