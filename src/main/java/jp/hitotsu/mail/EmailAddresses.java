package jp.hitotsu.mail;

import java.util.Optional;
import java.util.regex.Pattern;

/** The check every form that asks for an e-mail address makes. */
public final class EmailAddresses {

	/** Enough to refuse what is plainly not an address; the mail server judges the rest. */
	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

	/** RFC 5321's limit on a path, and the account table's column. */
	public static final int MAX_LENGTH = 320;

	private EmailAddresses() {
	}

	/**
	 * The key of the message for what is wrong with a typed address (already stripped), or
	 * empty when it may be an address.
	 */
	public static Optional<String> problem(String address) {
		if (address.isEmpty()) {
			return Optional.of("forgot-password.error.email-required");
		}
		if (address.length() > MAX_LENGTH || !EMAIL.matcher(address).matches()) {
			return Optional.of("forgot-password.error.email-invalid");
		}
		return Optional.empty();
	}

}
