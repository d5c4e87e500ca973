package jp.hitotsu.admin;

/** What an admin API operation does, as far as who may do it is concerned. */
enum AdminPermission {

	VIEW_LOCK("See an account's failures, delay and lock."),
	CLEAR_LOCK("Clear an account's failures, delay and lock."),
	RESET_PASSWORD("Give an account a temporary password, to be replaced at its next login."),
	READ_AUDIT("Read the audit trail."),
	MANAGE_DIRECTORY("Change organisation units, staff data, posts, role rules and direct role grants."),
	MANAGE_TRANSFERS("Upload, look at, schedule and cancel transfer batches."),
	MANAGE_BUNDLES("Export and import directory bundles (docs/directory-bundles.md)."),
	MANAGE_CLIENTS("Register, change, give a new secret to and delete the realm's clients."),
	MANAGE_KEYS("List and rotate the realm's signing keys (publish new keys now, sign with them later)."),
	PROVISION("Create, change and delete accounts through SCIM, and read them there."),
	SEARCH_USERS("Look accounts up by username, e-mail, employee number or name."),
	MANAGE_PEOPLE("Read and correct a person's data (names, readings, contact, enabled) and record identity evidence."),
	MANAGE_SESSIONS("See an account's login sessions and end them (which logs out its clients too)."),
	MANAGE_ACCOUNTS("Create accounts and delete them with everything they hold (sessions, grants, factors, directory data)."),
	MANAGE_FACTORS("See an account's second factors and remove one (a lost phone or key): its owner enrols again at the next login."),
	READ_REALM("See the realm and its settings, and what one's own roles allow in it (every admin role has it).");

	/** What it allows, in words (the OpenAPI description shows it with each operation). */
	private final String description;

	AdminPermission(String description) {
		this.description = description;
	}

	String description() {
		return this.description;
	}

}
