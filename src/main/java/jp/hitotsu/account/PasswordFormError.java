package jp.hitotsu.account;

import jp.hitotsu.realm.PasswordPolicy;

/**
 * What a password form shows when it is refused: the field to correct and the message
 * ({@code messages*.properties} key and its one argument, e.g. the minimum length).
 *
 * @param field the form field's name: {@link #CURRENT_PASSWORD}, {@link #NEW_PASSWORD} or
 * {@link #CONFIRMATION}
 */
public record PasswordFormError(String field, String messageKey, Object argument) {

	public static final String CURRENT_PASSWORD = "currentPassword";

	public static final String NEW_PASSWORD = "newPassword";

	public static final String CONFIRMATION = "confirmation";

	public static PasswordFormError currentPasswordMissing() {
		return new PasswordFormError(CURRENT_PASSWORD, "password.error.current-required", null);
	}

	/** The message for a password the realm's policy or the account refused. */
	public static PasswordFormError of(PasswordRejection rejection, PasswordPolicy policy) {
		return switch (rejection) {
			case TOO_SHORT -> new PasswordFormError(NEW_PASSWORD, rejection.messageKey(), policy.minLength());
			case TOO_LONG -> new PasswordFormError(NEW_PASSWORD, rejection.messageKey(), policy.maxLength());
			case CURRENT_PASSWORD_WRONG -> new PasswordFormError(CURRENT_PASSWORD, rejection.messageKey(), null);
			case COMMON, NOT_NEW -> new PasswordFormError(NEW_PASSWORD, rejection.messageKey(), null);
		};
	}

}
