package jp.hitotsu.admin;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.account.AccountFieldException;
import jp.hitotsu.account.AccountVersionConflictException;
import jp.hitotsu.account.AccountVersions;
import jp.hitotsu.account.Person;
import jp.hitotsu.account.PersonRecords;
import jp.hitotsu.directory.DirectoryConflictException;
import jp.hitotsu.directory.DirectoryError;
import jp.hitotsu.directory.InvalidDirectoryInputException;
import jp.hitotsu.directory.TransferStateException;
import jp.hitotsu.provisioning.BundleProblem;
import jp.hitotsu.provisioning.BundleRefusedException;
import jp.hitotsu.oidc.ClientConflictException;
import jp.hitotsu.oidc.ClientInputError;
import jp.hitotsu.oidc.InvalidClientInputException;
import jp.hitotsu.oidc.UnknownClientException;
import jp.hitotsu.directory.UnknownDirectoryEntryException;
import jp.hitotsu.realm.UnknownRealmException;
import tools.jackson.core.JacksonException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
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

	/** The SCIM attribute names of account fields, as the admin API's JSON names them. */
	private static final Map<String, String> ADMIN_FIELDS = Map.of("userName", "username", "emails", "email",
			"name.givenName", "givenName", "name.familyName", "familyName");

	private static final URI ABOUT_BLANK = URI.create("about:blank");

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
	ResponseEntity<ProblemDetail> unknownSession(UnknownSessionException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.NOT_FOUND, "unknown-session",
				"admin.problem.unknown-session", ex.realm(), ex.userId(), ex.sid()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownFactor(UnknownFactorException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.NOT_FOUND, "unknown-factor",
				"admin.problem.unknown-factor", ex.realm(), ex.userId(), ex.factor()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownTransferBatch(UnknownTransferBatchException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.NOT_FOUND, "unknown-transfer-batch",
				"admin.problem.unknown-transfer-batch", ex.realm(), ex.id()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownAuditEvent(UnknownAuditEventException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.NOT_FOUND, "unknown-audit-event",
				"admin.problem.unknown-audit-event", ex.realm(), ex.id()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> transferState(TransferStateException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.CONFLICT, "transfer-batch-state",
				"admin.problem.transfer-batch-state", ex.batch(), ex.status()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownClient(UnknownClientException ex, HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.NOT_FOUND, "unknown-client",
				"admin.problem.unknown-client", ex.realm(), ex.clientId()));
	}

	/** 409: the client id is taken, or the client is the realm file's to change. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> clientConflict(ClientConflictException ex, HttpServletRequest request) {
		String code = switch (ex.reason()) {
			case EXISTS -> "client-exists";
			case REALM_FILE -> "client-in-realm-file";
		};
		return respond(this.problems.problem(request, HttpStatus.CONFLICT, code, "admin.problem." + code, ex.realm(),
				ex.clientId()));
	}

	/** 400 listing every bad field of a client. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidClientInput(InvalidClientInputException ex, HttpServletRequest request) {
		List<Object> errors = new ArrayList<>();
		for (ClientInputError error : ex.errors()) {
			errors.add(new AdminProblems.FieldError(error.field(),
					this.problems.message(request, "client.error." + error.code(), error.arguments().toArray())));
		}
		return respond(this.problems.invalidFields(request, errors));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownDirectoryEntry(UnknownDirectoryEntryException ex,
			HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.NOT_FOUND, "unknown-directory-entry",
				"admin.problem.unknown-directory-entry", ex.realm(), ex.kind(), ex.key()));
	}

	/** 409 naming what stands in the way: the people still in a unit, the units below it, ... */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> directoryConflict(DirectoryConflictException ex, HttpServletRequest request) {
		ProblemDetail problem = this.problems.problem(request, HttpStatus.CONFLICT, "directory-conflict",
				"directory.conflict." + ex.code(), ex.arguments().toArray());
		problem.setProperty("conflicts", ex.conflicts());
		return respond(problem);
	}

	/** 400 listing every bad field of a person or of identity evidence. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidPerson(PersonRecords.InvalidPersonException ex, HttpServletRequest request) {
		List<Object> errors = new ArrayList<>();
		for (Person.FieldError error : ex.errors()) {
			errors.add(new AdminProblems.FieldError(error.field(),
					this.problems.message(request, error.messageKey(), error.field())));
		}
		return respond(this.problems.invalidFields(request, errors));
	}

	/**
	 * An account refused by the rules shared with SCIM: 409 {@code username-taken}, or 400
	 * listing each bad field under the admin API's names.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidAccount(AccountFieldException ex, HttpServletRequest request) {
		List<Object> errors = new ArrayList<>();
		for (AccountFieldException.Problem problem : ex.problems()) {
			if ("username-taken".equals(problem.code())) {
				return respond(this.problems.problem(request, HttpStatus.CONFLICT, "username-taken",
						"admin.problem.username-taken", AdminAuthorization.realmOf(request), problem.arguments().get(0)));
			}
			errors.add(new AdminProblems.FieldError(ADMIN_FIELDS.getOrDefault(problem.field(), problem.field()),
					this.problems.message(request, "scim.field." + problem.code(), problem.arguments().toArray())));
		}
		return respond(this.problems.invalidFields(request, errors));
	}

	/** 412: the account changed since the version the caller's {@code If-Match} names. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> versionConflict(AccountVersionConflictException ex, HttpServletRequest request) {
		ProblemDetail problem = this.problems.problem(request, HttpStatus.PRECONDITION_FAILED, "version-mismatch",
				"admin.problem.version-mismatch", AdminAuthorization.realmOf(request),
				AccountVersions.etag(ex.current()));
		return ResponseEntity.status(problem.getStatus())
			.eTag(AccountVersions.etag(ex.current()))
			.body(problem);
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

	/**
	 * A bundle not applied (or not exported): the reason in {@code type}, each bad line
	 * in {@code errors}. A replay is a conflict with what was applied; a file too large is
	 * 413; the rest is the file's fault.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> bundleRefused(BundleRefusedException ex, HttpServletRequest request) {
		HttpStatus status = switch (ex.reason()) {
			case REPLAYED, NOT_ACCEPTED, TRUSTED_KEY_UNUSABLE -> HttpStatus.CONFLICT;
			case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
			default -> HttpStatus.BAD_REQUEST;
		};
		ProblemDetail problem = this.problems.problem(request, status, "bundle-" + ex.reason().key(), ex.messageKey(),
				ex.arguments());
		problem.setProperty("reason", ex.reason().key());
		if (!ex.problems().isEmpty()) {
			List<Object> errors = new ArrayList<>();
			for (BundleProblem error : ex.problems()) {
				String message = this.problems.message(request, error.messageKey(), error.arguments().toArray());
				errors.add((error.line() != null) ? new AdminProblems.LineError(error.line(), error.field(), message)
						: new AdminProblems.FieldError(error.field(), message));
			}
			problem.setProperty(AdminProblems.ERRORS, errors);
		}
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notAwaitingActivation(BundleController.NotAwaitingActivationException ex,
			HttpServletRequest request) {
		return respond(this.problems.problem(request, HttpStatus.CONFLICT, "not-awaiting-activation",
				"admin.problem.not-awaiting-activation", ex.realm(), ex.username()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidBundleKind(BundleController.InvalidKindException ex,
			HttpServletRequest request) {
		return respond(this.problems.invalidFields(request, List.of(new AdminProblems.FieldError("kind",
				this.problems.message(request, "admin.problem.not-one-of", ex.kind(), "full, incremental")))));
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

	/**
	 * A body that is no JSON, or a field of the wrong type: 400 naming the field (its path,
	 * {@code roles[2]}), or {@code body} when the body as a whole is unreadable or missing.
	 */
	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		HttpServletRequest servletRequest = servletRequest(request);
		String field = (ex.getCause() instanceof JacksonException json && !json.getPath().isEmpty())
				? fieldPath(json.getPath()) : null;
		String message = (field != null) ? this.problems.message(servletRequest, "admin.problem.unreadable-field", field)
				: this.problems.message(servletRequest, "admin.problem.unreadable-body");
		return body(this.problems.invalidFields(servletRequest,
				List.of(new AdminProblems.FieldError((field != null) ? field : "body", message))));
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		HttpServletRequest servletRequest = servletRequest(request);
		return body(this.problems.invalidFields(servletRequest, List.of(new AdminProblems.FieldError(
				ex.getParameterName(), this.problems.message(servletRequest, "admin.problem.missing", ex.getParameterName())))));
	}

	/** Every other refusal of Spring MVC as a problem of ours, in the caller's language. */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> answer = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (answer != null && answer.getBody() instanceof ProblemDetail spring
				&& (spring.getType() == null || ABOUT_BLANK.equals(spring.getType()))) {
			return ResponseEntity.status(answer.getStatusCode())
				.headers(answer.getHeaders())
				.body(this.problems.adopt(servletRequest(request), ex, spring));
		}
		return answer;
	}

	private static String fieldPath(List<JacksonException.Reference> path) {
		StringBuilder field = new StringBuilder();
		for (JacksonException.Reference reference : path) {
			if (reference.getPropertyName() != null) {
				field.append((field.length() > 0) ? "." : "").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				field.append('[').append(reference.getIndex()).append(']');
			}
		}
		return field.toString();
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
