package jp.hitotsu.admin;

/** What an admin API operation does, as far as who may do it is concerned. */
enum AdminPermission {

	/** See an account's failures, delay and lock. */
	VIEW_LOCK,
	/** Clear an account's failures, delay and lock. */
	CLEAR_LOCK,
	/** Give an account a temporary password, to be replaced at its next login. */
	RESET_PASSWORD,
	/** Read the audit trail. */
	READ_AUDIT,
	/** Change organisation units, staff data, posts, role rules and direct role grants. */
	MANAGE_DIRECTORY,
	/** Upload, look at, schedule and cancel transfer batches. */
	MANAGE_TRANSFERS,
	/** Export and import directory bundles (docs/directory-bundles.md). */
	MANAGE_BUNDLES,
	/** Register, change, give a new secret to and delete the realm's clients. */
	MANAGE_CLIENTS,
	/** Rotate the realm's signing keys (publish new keys now, sign with them later). */
	MANAGE_KEYS,
	/** Create, change and delete accounts through SCIM, and read them there. */
	PROVISION,
	/** Look accounts up by username, e-mail, employee number or name. */
	SEARCH_USERS,
	/** Read and correct a person's data (names, readings, contact, enabled) and record identity evidence. */
	MANAGE_PEOPLE,
	/** See an account's login sessions and end them (which logs out its clients too). */
	MANAGE_SESSIONS;

}
