package jp.hitotsu.provisioning;

import java.io.IOException;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountFieldException;
import jp.hitotsu.account.AccountVersionConflictException;
import jp.hitotsu.account.AccountVersions;
import jp.hitotsu.directory.InvalidDirectoryInputException;
import jp.hitotsu.realm.UnknownRealmException;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;

/**
 * SCIM error responses (RFC 7644 §3.12) in the caller's language: for the API, for each
 * operation of a Bulk request, and for the security filters (401, 403).
 */
@Component
class ScimErrors {

	static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

	static final String MEDIA_TYPE = "application/scim+json;charset=UTF-8";

	private final MessageSource messages;

	private final LocaleResolver locales;

	ScimErrors(MessageSource messages, LocaleResolver locales) {
		this.messages = messages;
		this.locales = locales;
	}

	/** An error answer: its status and its body. */
	record Error(HttpStatus status, ObjectNode body) {
	}

	/** The error for a refusal of the SCIM API, or {@code null} for an exception that is none. */
	Error of(RuntimeException failure, HttpServletRequest request) {
		Locale locale = this.locales.resolveLocale(request);
		if (failure instanceof ScimException scim) {
			return error(scim.status(), scim.scimType(),
					message(locale, "scim.error." + scim.messageKey(), scim.arguments().toArray()));
		}
		if (failure instanceof AccountFieldException fields) {
			boolean taken = fields.problems().stream().anyMatch((problem) -> "username-taken".equals(problem.code()));
			String detail = fields.problems()
				.stream()
				.map((problem) -> problem.field() + ": "
						+ message(locale, "scim.field." + problem.code(), problem.arguments().toArray()))
				.collect(Collectors.joining("; "));
			return taken ? error(HttpStatus.CONFLICT, "uniqueness", detail)
					: error(HttpStatus.BAD_REQUEST, "invalidValue", detail);
		}
		if (failure instanceof InvalidDirectoryInputException directory) {
			String detail = directory.errors()
				.stream()
				.map((problem) -> ScimUserSchema.ENTERPRISE + ":" + problem.field() + ": "
						+ message(locale, "directory.error." + problem.code(), problem.arguments().toArray()))
				.collect(Collectors.joining("; "));
			return error(HttpStatus.BAD_REQUEST, "invalidValue", detail);
		}
		if (failure instanceof AccountVersionConflictException conflict) {
			return error(HttpStatus.PRECONDITION_FAILED, null,
					message(locale, "scim.error.version-mismatch", AccountVersions.etag(conflict.current())));
		}
		if (failure instanceof UnknownRealmException) {
			return error(HttpStatus.NOT_FOUND, null, message(locale, "realm.unknown",
					ScimAuthorization.realmOf(request)));
		}
		return null;
	}

	Error error(HttpStatus status, String scimType, String detail) {
		ObjectNode body = ScimUserSchema.NODES.objectNode();
		body.putArray("schemas").add(ERROR);
		body.put("status", String.valueOf(status.value()));
		if (scimType != null) {
			body.put("scimType", scimType);
		}
		body.put("detail", detail);
		return new Error(status, body);
	}

	String message(HttpServletRequest request, String key, Object... arguments) {
		return message(this.locales.resolveLocale(request), key, arguments);
	}

	private String message(Locale locale, String key, Object... arguments) {
		return this.messages.getMessage(key, arguments, locale);
	}

	/** Writes an error from a filter, where no message converter is at hand. */
	void write(HttpServletResponse response, Error error) throws IOException {
		response.setStatus(error.status().value());
		response.setContentType(MEDIA_TYPE);
		response.getWriter().write(ScimUserSchema.JSON.writeValueAsString(error.body()));
	}

}
