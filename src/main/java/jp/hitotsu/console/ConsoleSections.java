package jp.hitotsu.console;

/**
 * The console's sections of a realm, in navigation order: each at
 * {@code /admin/realms/{realm}/{path}}, shown to an administrator whose roles hold its
 * admin API permission there (the names of the admin API's permissions, as
 * {@code GET /admin/api/realms} lists them).
 */
public enum ConsoleSections {

	USERS("users", "SEARCH_USERS"),
	CLIENTS("clients", "MANAGE_CLIENTS"),
	ROLES("roles", "MANAGE_DIRECTORY"),
	UNITS("units", "MANAGE_DIRECTORY"),
	TRANSFERS("transfers", "MANAGE_TRANSFERS"),
	AUDIT("audit", "READ_AUDIT"),
	KEYS("keys", "MANAGE_KEYS");

	private final String path;

	private final String permission;

	ConsoleSections(String path, String permission) {
		this.path = path;
		this.permission = permission;
	}

	public String getPath() {
		return this.path;
	}

	public String getPermission() {
		return this.permission;
	}

}
