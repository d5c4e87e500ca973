package jp.hitotsu.account;

import java.util.Optional;

/**
 * The two fields of every form where someone chooses a password: the new password and the
 * same typed again.
 */
public record ChosenPasswordForm(String newPassword, String confirmation) {

	public ChosenPasswordForm {
		newPassword = (newPassword != null) ? newPassword : "";
		confirmation = (confirmation != null) ? confirmation : "";
	}

	/** What is wrong before the account is asked: an empty field, or two different entries. */
	public Optional<PasswordFormError> check() {
		if (this.newPassword.isEmpty()) {
			return Optional.of(new PasswordFormError(PasswordFormError.NEW_PASSWORD, "password.error.new-required", null));
		}
		if (!this.newPassword.equals(this.confirmation)) {
			return Optional.of(new PasswordFormError(PasswordFormError.CONFIRMATION, "password.error.mismatch", null));
		}
		return Optional.empty();
	}

}
