package jp.hitotsu.web;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Refusals from filters, rendered by {@link HitotsuErrorController} like every other
 * error: OAuth-style JSON for programs, a page in the user's language for browsers.
 */
@Component
public class ErrorResponses {

	static final String MESSAGE_KEY = "hitotsu.error.message-key";

	static final String MESSAGE_ARGUMENTS = "hitotsu.error.message-arguments";

	static final String ERROR_CODE = "hitotsu.error.code";

	public void notFound(HttpServletRequest request, HttpServletResponse response, String messageKey, String message,
			Object... arguments) throws IOException {
		send(request, response, HttpStatus.NOT_FOUND, "not_found", messageKey, message, arguments);
	}

	public void badRequest(HttpServletRequest request, HttpServletResponse response, String messageKey, String message,
			Object... arguments) throws IOException {
		send(request, response, HttpStatus.BAD_REQUEST, "invalid_request", messageKey, message, arguments);
	}

	/**
	 * 503 with {@code Retry-After}: the request needs something that is unreachable for now
	 * (the database) and may be sent again later as it is.
	 */
	public void unavailable(HttpServletRequest request, HttpServletResponse response, Duration retryAfter,
			String messageKey, String message, Object... arguments) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
		send(request, response, HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable", messageKey, message,
				arguments);
	}

	private void send(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String errorCode,
			String messageKey, String message, Object[] arguments) throws IOException {
		request.setAttribute(ERROR_CODE, errorCode);
		request.setAttribute(MESSAGE_KEY, messageKey);
		request.setAttribute(MESSAGE_ARGUMENTS, arguments);
		response.sendError(status.value(), message);
	}

}
