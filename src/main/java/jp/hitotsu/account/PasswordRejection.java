package jp.hitotsu.account;

/**
 * Why a password someone chose was refused. Each has a message key
 * ({@code password.error.*}) whose text tells the person what to do.
 */
public enum PasswordRejection {

	/** Fewer characters than the realm's minimum (the message names it). */
	TOO_SHORT("password.error.too-short"),
	/** More characters than the realm's maximum (the message names it). */
	TOO_LONG("password.error.too-long"),
	/** Found in the list of common and breached passwords. */
	COMMON("password.error.common"),
	/** The same as the password it replaces (a temporary one, or the current one). */
	NOT_NEW("password.error.not-new"),
	/** The current password, asked for to confirm a change, was wrong. */
	CURRENT_PASSWORD_WRONG("password.error.current-wrong");

	private final String messageKey;

	PasswordRejection(String messageKey) {
		this.messageKey = messageKey;
	}

	public String messageKey() {
		return this.messageKey;
	}

}
