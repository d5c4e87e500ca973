package jp.hitotsu.audit;

/**
 * The kinds of audited events. Stored by name: rename none, only add.
 */
public enum AuditEventType {

	/** A login completed (every factor the realm asks for). */
	LOGIN,
	/** A password, code or passkey was refused, or the login was throttled. */
	LOGIN_FAILED,
	/** A second factor, recovery code or passkey step of a login. */
	LOGIN_FACTOR,
	/** An account was locked after too many failures. */
	ACCOUNT_LOCKED,
	/** A lock was cleared by an administrator or expired on a success. */
	ACCOUNT_UNLOCKED,
	LOGOUT,
	/** A TOTP authenticator, passkey or recovery codes were added. */
	FACTOR_ENROLLED,
	/** A TOTP authenticator, passkey or recovery codes were removed. */
	FACTOR_REMOVED,
	PASSWORD_CHANGED,
	/** An administrator set a temporary password. */
	PASSWORD_RESET,
	/** A password-reset link was asked for (known email or not). */
	PASSWORD_RESET_REQUESTED,
	TOKEN_ISSUED,
	TOKEN_REFRESHED,
	USERINFO,
	INTROSPECTION,
	/** An administrator changed something through the admin API. */
	ADMIN_CHANGE,
	/** An account was created (other than from a realm file), e.g. for a joiner of a transfer batch. */
	ACCOUNT_CREATED,
	/** An account was disabled, e.g. a leaver of a transfer batch. */
	ACCOUNT_DISABLED,
	/** A person's posts changed as a transfer batch applied. */
	TRANSFER_APPLIED,
	/** Someone signed up with an address that already has an account; its owner was told. */
	REGISTRATION_REPEATED,
	/** An e-mail verification link was sent (at sign-up or asked again). */
	EMAIL_VERIFICATION_SENT,
	/** An account's e-mail address was proven through a link. */
	EMAIL_VERIFIED,
	/** Evidence of a person's identity was recorded (it may raise the account's IAL). */
	IDENTITY_EVIDENCE_RECORDED,
	/** An account was deleted by its owner; its earlier events were pseudonymised. */
	ACCOUNT_DELETED;

}
