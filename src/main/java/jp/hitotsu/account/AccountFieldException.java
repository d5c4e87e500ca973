package jp.hitotsu.account;

import java.util.List;

/**
 * Provisioning input refused, with every bad field.
 */
public class AccountFieldException extends RuntimeException {

	/**
	 * One bad field: {@code code} is a message key suffix ({@code account.field.<code>}),
	 * {@code arguments} its arguments.
	 */
	public record Problem(String field, String code, List<Object> arguments) {
	}

	private final List<Problem> problems;

	public AccountFieldException(List<Problem> problems) {
		super("Invalid account fields: " + problems);
		this.problems = List.copyOf(problems);
	}

	public List<Problem> problems() {
		return this.problems;
	}

}
