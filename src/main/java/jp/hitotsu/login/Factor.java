package jp.hitotsu.login;

/**
 * A way of proving who one is, as the login flow counts it. Each maps to its RFC 8176
 * {@code amr} value.
 */
public enum Factor {

	/** Something known: the account's password. */
	PASSWORD("pwd"),
	/** Something held: a code from an RFC 6238 authenticator app. */
	TOTP("otp"),
	/** A single-use recovery code, standing in for the authenticator app. */
	RECOVERY_CODE("otp"),
	/**
	 * A passkey (WebAuthn): proof of possession of a key bound to this site, so phishing
	 * resistant.
	 */
	PASSKEY("hwk"),
	/** The passkey's authenticator verified the person (PIN or biometric). */
	USER_VERIFICATION("user"),
	/**
	 * A login at an upstream OpenID provider (brokering); the level it counts as is the
	 * provider's, as its realm file says.
	 */
	UPSTREAM("fed");

	private final String amr;

	Factor(String amr) {
		this.amr = amr;
	}

	/** The RFC 8176 authentication method reference. */
	public String amr() {
		return this.amr;
	}

}
