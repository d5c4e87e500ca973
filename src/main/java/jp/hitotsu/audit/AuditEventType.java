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
	/** A directory bundle was exported (signed) from this zone. */
	BUNDLE_EXPORTED,
	/** A directory bundle was applied to a realm of this zone. */
	BUNDLE_IMPORTED,
	/** A directory bundle was refused (signature, key, replay, content); nothing changed. */
	BUNDLE_REFUSED,
	/** An account that came in a directory bundle was changed by a later bundle. */
	BUNDLE_ACCOUNT_UPDATED,
	/** An imported account was activated with its one-time code (password set). */
	ACCOUNT_ACTIVATED,
	/** An administrator gave an imported account that was never activated a new activation code. */
	ACTIVATION_CODE_ISSUED,
	/** A disabled account was enabled again, e.g. a leaver brought back by a reverse transfer batch. */
	ACCOUNT_ENABLED,
	/**
	 * A token was revoked at the revocation endpoint (RFC 7009), or its owner revoked an
	 * application that held tokens without a consent on the account console.
	 */
	TOKEN_REVOKED,
	/** A person consented to a client's scopes. */
	CONSENT_GRANTED,
	/**
	 * A consent was withdrawn: the person denied the client's request, or revoked the
	 * application on the account console ({@code via=account-console}, with its grants ended).
	 */
	CONSENT_REVOKED,
	/** A realm's signing keys were rotated. */
	KEY_ROTATED,
	/** Retention deleted a realm's oldest audit segments, keeping a checkpoint of the chain. */
	AUDIT_RETENTION,
	/**
	 * An account changed through provisioning (SCIM: names, e-mail, external id, enabled),
	 * or its owner changed their profile on the account console ({@code via=self-service}).
	 */
	ACCOUNT_UPDATED,
	/**
	 * An account was deleted, through provisioning (SCIM) or by its owner (whose earlier
	 * events were then pseudonymised): it and everything it held are gone.
	 */
	ACCOUNT_DELETED,
	/** Accounts loaded from a file by {@code import-accounts}: one event per file, with the count. */
	ACCOUNTS_IMPORTED,
	/** Someone signed up with an address that already has an account; its owner was told. */
	REGISTRATION_REPEATED,
	/** An e-mail verification link was sent (at sign-up or asked again). */
	EMAIL_VERIFICATION_SENT,
	/** An account's e-mail address was proven through a link. */
	EMAIL_VERIFIED,
	/** Evidence of a person's identity was recorded (it may raise the account's IAL). */
	IDENTITY_EVIDENCE_RECORDED,
	/**
	 * A person entered a device's user code (RFC 8628): approved the device, denied it, or
	 * (failure) gave a code that is wrong, expired or over the attempt limit.
	 */
	DEVICE_VERIFIED,
	/**
	 * A logout token was sent to a client's back-channel logout URI, or could not be
	 * ({@code outcome} in the details: delivered, retry, rejected, failed, dropped, refused,
	 * abandoned).
	 */
	LOGOUT_DELIVERY,
	/** A group of the directory was created (through SCIM), with its first members. */
	GROUP_CREATED,
	/** A group's names or members changed: the members added and removed are named. */
	GROUP_UPDATED,
	/** A group was deleted, with the role rules that named it. */
	GROUP_DELETED,
	/** An account was linked to a person of an upstream OpenID provider (created for them, or proven by its owner). */
	UPSTREAM_LINKED,
	/**
	 * A login through an upstream OpenID provider was refused ({@code reason} in the details:
	 * state, error, unavailable, id_token, acr, my_number, not_linked).
	 */
	UPSTREAM_LOGIN_REFUSED;

}
