package jp.hitotsu.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.directory.DirectoryError;
import jp.hitotsu.directory.InvalidDirectoryInputException;
import jp.hitotsu.directory.TransferStateException;
import jp.hitotsu.realm.UnknownRealmException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every refusal of the admin API into an RFC 9457 problem in the caller's language:
 * 403 for an operation the caller's roles do not allow, 404 naming the realm or user not
 * found, 400 listing each bad parameter. Spring's own refusals (missing parameter, wrong
 * method, ...) become problems through the base class.
 */
@RestControllerAdvice(basePackageClasses = AdminExceptionHandler.class)
class AdminExceptionHandler extends ResponseEntityExceptionHandler {

	private final AdminProblems problems;

	AdminExceptionHandler(AdminProblems problems) {
		this.problems = problems;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> accessDenied(AdminAuthorization.AdminAccessDeniedException ex,
			HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.FORBIDDEN, "forbidden", "admin.problem.forbidden",
				ex.realm()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownRealm(UnknownRealmException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.NOT_FOUND, "unknown-realm", "realm.unknown",
				AdminAuthorization.realmOf(request)));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownUser(UnknownUserException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.NOT_FOUND, "unknown-user",
				"admin.problem.unknown-user", ex.realm(), ex.userId()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownTransferBatch(UnknownTransferBatchException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.NOT_FOUND, "unknown-transfer-batch",
				"admin.problem.unknown-transfer-batch", ex.realm(), ex.id()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> transferState(TransferStateException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.CONFLICT, "transfer-batch-state",
				"admin.problem.transfer-batch-state", ex.batch(), ex.status()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidParameter(InvalidParameterException ex, HttpServletRequest request) {
		return respond(this.problems.invalidFields(request, List.of(new AdminProblems.FieldError(ex.field(),
				this.problems.message(request, ex.messageKey(), ex.arguments())))));
	}

	/** 400 listing every bad field, or every bad line of an uploaded file, with its line. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidDirectoryInput(InvalidDirectoryInputException ex,
			HttpServletRequest request) {
		List<Object> errors = new ArrayList<>();
		for (DirectoryError error : ex.errors()) {
			String message = this.problems.message(request, "directory.error." + error.code(),
					error.arguments().toArray());
			errors.add((error.line() != null) ? new AdminProblems.LineError(error.line(), error.field(), message)
					: new AdminProblems.FieldError(error.field(), message));
		}
		return respond(this.problems.invalidFields(request, errors));
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String field = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: ex.getPropertyName();
		Class<?> type = ex.getRequiredType();
		HttpServletRequest servletRequest = servletRequest(request);
		String message = (type != null && type.isEnum())
				? this.problems.message(servletRequest, "admin.problem.not-one-of", ex.getValue(),
						Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", ")))
				: this.problems.message(servletRequest, "admin.problem.wrong-type", ex.getValue());
		return body(this.problems.invalidFields(servletRequest, List.of(new AdminProblems.FieldError(field, message))));
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<AdminProblems.FieldError> errors = new ArrayList<>();
		ex.getParameterValidationResults().forEach((result) -> {
			String field = result.getMethodParameter().getParameterName();
			for (MessageSourceResolvable error : result.getResolvableErrors()) {
				errors.add(new AdminProblems.FieldError(field, error.getDefaultMessage()));
			}
		});
		return body(this.problems.invalidFields(servletRequest(request), errors));
	}

	private static HttpServletRequest servletRequest(WebRequest request) {
		return ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	private static ResponseEntity<Object> body(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

}
