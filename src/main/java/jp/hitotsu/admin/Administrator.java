package jp.hitotsu.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The person calling the admin API, as their access token describes them.
 *
 * @param subject their account's id in the admin realm
 * @param realm the admin realm
 * @param clientId the admin client the token was issued to
 * @param grants their admin roles, each for one realm or for all
 */
record Administrator(String subject, String realm, String clientId, List<Grant> grants) {

	static final String ROLES_CLAIM = "roles";

	static Administrator of(Jwt token, String adminRealm) {
		List<Grant> grants = new ArrayList<>();
		List<String> roles = token.getClaimAsStringList(ROLES_CLAIM);
		if (roles != null) {
			roles.forEach((role) -> Grant.parse(role).ifPresent(grants::add));
		}
		return new Administrator(token.getSubject(), adminRealm, token.getClaimAsString("client_id"),
				List.copyOf(grants));
	}

	/** Whether any of the administrator's roles allows the operation in the realm. */
	boolean may(AdminPermission permission, String realm) {
		return this.grants.stream().anyMatch((grant) -> grant.allows(permission, realm));
	}

	/**
	 * One admin role, for one realm or (with {@code realm} null) for every realm.
	 */
	record Grant(AdminRole role, String realm) {

		static Optional<Grant> parse(String value) {
			int colon = value.indexOf(':');
			String name = (colon < 0) ? value : value.substring(0, colon);
			String realm = (colon < 0) ? null : value.substring(colon + 1);
			return AdminRole.fromKey(name)
				// a super admin is one for every realm; "super-admin:x" is a mistake, not a narrower role
				.filter((role) -> role != AdminRole.SUPER_ADMIN || realm == null)
				.filter((role) -> realm == null || !realm.isEmpty())
				.map((role) -> new Grant(role, realm));
		}

		boolean allows(AdminPermission permission, String target) {
			return this.role.grants(permission) && (this.realm == null || this.realm.equals(target));
		}

	}

}
