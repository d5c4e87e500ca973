package jp.hitotsu.registration;

import jp.hitotsu.account.ChosenPasswordForm;
import jp.hitotsu.account.Person;

/** The sign-up form as posted; absent fields read as empty. */
record SignUpForm(String email, String familyName, String givenName, String familyNameKana, String givenNameKana,
		String romanisedName, String phoneNumber, String newPassword, String confirmation) {

	SignUpForm {
		email = (email != null) ? email.strip() : "";
	}

	static SignUpForm empty() {
		return new SignUpForm(null, null, null, null, null, null, null, null, null);
	}

	Person person() {
		return new Person(this.familyName, this.givenName, this.familyNameKana, this.givenNameKana, this.romanisedName,
				this.phoneNumber);
	}

	ChosenPasswordForm password() {
		return new ChosenPasswordForm(this.newPassword, this.confirmation);
	}

}
