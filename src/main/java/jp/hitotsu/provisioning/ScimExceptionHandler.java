package jp.hitotsu.provisioning;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every refusal of the SCIM API as a SCIM error, Spring's own (wrong method, bad
 * parameter type, unsupported media type, ...) included.
 */
@RestControllerAdvice(basePackageClasses = ScimExceptionHandler.class)
class ScimExceptionHandler extends ResponseEntityExceptionHandler {

	private final ScimErrors errors;

	ScimExceptionHandler(ScimErrors errors) {
		this.errors = errors;
	}

	@ExceptionHandler
	ResponseEntity<Object> refused(RuntimeException ex, HttpServletRequest request) throws RuntimeException {
		ScimErrors.Error error = this.errors.of(ex, request);
		if (error == null) {
			throw ex;
		}
		return respond(error);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		HttpServletRequest servletRequest = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
		HttpStatus status = HttpStatus.valueOf(statusCode.value());
		ScimErrors.Error error = this.errors.error(status, (status == HttpStatus.BAD_REQUEST) ? "invalidValue" : null,
				this.errors.message(servletRequest, "scim.error.request", status.value(), status.getReasonPhrase()));
		HttpHeaders merged = new HttpHeaders();
		if (headers != null) {
			merged.putAll(headers);
		}
		merged.set(HttpHeaders.CONTENT_TYPE, ScimErrors.MEDIA_TYPE);
		return ResponseEntity.status(status)
			.headers(merged)
			.body(ScimUserSchema.JSON.writeValueAsString(error.body()));
	}

	private static ResponseEntity<Object> respond(ScimErrors.Error error) {
		return ResponseEntity.status(error.status())
			.header(HttpHeaders.CONTENT_TYPE, ScimErrors.MEDIA_TYPE)
			.body(ScimUserSchema.JSON.writeValueAsString(error.body()));
	}

}
