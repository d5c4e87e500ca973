package jp.hitotsu.mail;

import java.util.Optional;
import java.util.regex.Pattern;

/** The check every form that asks for an e-mail address makes. */
public final class EmailAddresses {

	/**
	 * Enough to refuse what is plainly not an address (control characters included, which
	 * PostgreSQL text cannot always hold); the mail server judges the rest.
	 */
	private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+");

	/** RFC 5321's limit on a path, and the account table's column. */
	public static final int MAX_LENGTH = 320;

	private EmailAddresses() {
	}

	/**
	 * The key of the message for what is wrong with a typed address (already stripped), or
	 * empty when it may be an address.
	 */
	public static Optional<String> problem(String address) {
		return problem(address, MAX_LENGTH);
	}

	/** As {@link #problem(String)}, for an address that must fit in fewer characters. */
	public static Optional<String> problem(String address, int maxLength) {
		if (address.isEmpty()) {
			return Optional.of("forgot-password.error.email-required");
		}
		if (address.length() > maxLength || !EMAIL.matcher(address).matches()) {
			return Optional.of("forgot-password.error.email-invalid");
		}
		return Optional.empty();
	}

}
