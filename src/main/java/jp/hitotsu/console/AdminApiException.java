package jp.hitotsu.console;

import java.util.List;
import java.util.Map;

/**
 * The admin API refused a call: its RFC 9457 problem, whose {@code detail} and field
 * messages are already in the administrator's language.
 *
 * @param status the HTTP status
 * @param code the problem's code (its type {@code urn:hitotsu:problem:<code>})
 * @param errors each bad field (or line) and what is wrong with it, for a 400
 */
public class AdminApiException extends RuntimeException {

	private static final String TYPE_PREFIX = "urn:hitotsu:problem:";

	private final int status;

	private final String code;

	private final transient List<Map<String, Object>> errors;

	AdminApiException(int status, String code, String detail, List<Map<String, Object>> errors) {
		super(detail);
		this.status = status;
		this.code = code;
		this.errors = errors;
	}

	@SuppressWarnings("unchecked")
	static AdminApiException of(int status, Map<String, Object> problem) {
		String type = String.valueOf(problem.getOrDefault("type", ""));
		String code = type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : "";
		Object detail = problem.get("detail");
		Object errors = problem.get("errors");
		return new AdminApiException(status, code, (detail != null) ? detail.toString() : ("HTTP " + status),
				(errors instanceof List<?> list) ? (List<Map<String, Object>>) list : List.of());
	}

	public int getStatus() {
		return this.status;
	}

	public String getCode() {
		return this.code;
	}

	public List<Map<String, Object>> getErrors() {
		return this.errors;
	}

	/** The message for one field ({@code field} of an error), if the API named it. */
	public String messageFor(String field) {
		return this.errors.stream()
			.filter((error) -> field.equals(error.get("field")))
			.map((error) -> String.valueOf(error.get("message")))
			.findFirst()
			.orElse(null);
	}

}
