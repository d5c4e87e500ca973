package jp.hitotsu.provisioning;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * A refusal answered as a SCIM error (RFC 7644 §3.12): HTTP status, {@code scimType}
 * where the RFC defines one, and a detail in the caller's language from
 * {@code scim.error.<messageKey>}.
 */
class ScimException extends RuntimeException {

	private final HttpStatus status;

	private final String scimType;

	private final String messageKey;

	private final List<Object> arguments;

	ScimException(HttpStatus status, String scimType, String messageKey, Object... arguments) {
		super(messageKey + " " + List.of(arguments));
		this.status = status;
		this.scimType = scimType;
		this.messageKey = messageKey;
		this.arguments = List.of(arguments);
	}

	static ScimException invalidFilter(String messageKey, Object... arguments) {
		return new ScimException(HttpStatus.BAD_REQUEST, "invalidFilter", messageKey, arguments);
	}

	static ScimException invalidValue(String messageKey, Object... arguments) {
		return new ScimException(HttpStatus.BAD_REQUEST, "invalidValue", messageKey, arguments);
	}

	static ScimException invalidPath(String messageKey, Object... arguments) {
		return new ScimException(HttpStatus.BAD_REQUEST, "invalidPath", messageKey, arguments);
	}

	static ScimException invalidSyntax(String messageKey, Object... arguments) {
		return new ScimException(HttpStatus.BAD_REQUEST, "invalidSyntax", messageKey, arguments);
	}

	static ScimException notFound(String realm, String id) {
		return new ScimException(HttpStatus.NOT_FOUND, null, "unknown-user", realm, id);
	}

	HttpStatus status() {
		return this.status;
	}

	String scimType() {
		return this.scimType;
	}

	String messageKey() {
		return this.messageKey;
	}

	List<Object> arguments() {
		return this.arguments;
	}

}
