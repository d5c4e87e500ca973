package jp.hitotsu.admin;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The roles the admin API knows, as they appear in the {@code roles} claim of an access
 * token of the admin realm. {@code super-admin} holds every permission in every realm of
 * the zone. The others are written {@code role:realm} for one realm
 * ({@code helpdesk:citizen}), or alone for every realm of the zone ({@code auditor}).
 */
enum AdminRole {

	SUPER_ADMIN("super-admin", EnumSet.allOf(AdminPermission.class)),
	/** Everything within a realm. */
	REALM_ADMIN("realm-admin", EnumSet.allOf(AdminPermission.class)),
	/**
	 * What a help desk does for a caller: see and clear a lock, reset a password, end
	 * sessions, remove a lost second factor.
	 */
	HELPDESK("helpdesk", EnumSet.of(AdminPermission.VIEW_LOCK, AdminPermission.CLEAR_LOCK,
			AdminPermission.RESET_PASSWORD, AdminPermission.SEARCH_USERS, AdminPermission.MANAGE_SESSIONS,
			AdminPermission.MANAGE_FACTORS, AdminPermission.READ_REALM)),
	/** Reads the audit trail, changes nothing. */
	AUDITOR("auditor", EnumSet.of(AdminPermission.READ_AUDIT, AdminPermission.READ_REALM)),
	/** Personnel (the HR system or its people): the directory and transfer batches. */
	HR("hr", EnumSet.of(AdminPermission.MANAGE_DIRECTORY, AdminPermission.MANAGE_TRANSFERS,
			AdminPermission.SEARCH_USERS, AdminPermission.READ_REALM)),
	/** A system of record feeding accounts through SCIM (the HR system, the resident registry). */
	SCIM("scim", EnumSet.of(AdminPermission.PROVISION, AdminPermission.SEARCH_USERS, AdminPermission.READ_REALM));

	private final String key;

	private final Set<AdminPermission> permissions;

	AdminRole(String key, Set<AdminPermission> permissions) {
		this.key = key;
		this.permissions = permissions;
	}

	String key() {
		return this.key;
	}

	boolean grants(AdminPermission permission) {
		return this.permissions.contains(permission);
	}

	/**
	 * The roles that allow a permission, as a token's {@code roles} claim writes them:
	 * {@code super-admin}, then each other role as {@code key[:realm]}.
	 */
	static List<String> granting(AdminPermission permission) {
		return Arrays.stream(values())
			.filter((role) -> role.grants(permission))
			.map((role) -> (role == SUPER_ADMIN) ? role.key : role.key + "[:realm]")
			.toList();
	}

	static Optional<AdminRole> fromKey(String key) {
		for (AdminRole role : values()) {
			if (role.key.equals(key)) {
				return Optional.of(role);
			}
		}
		return Optional.empty();
	}

}
