package jp.hitotsu.account;

/**
 * What provisioning sets on an account: everything but credentials and roles.
 *
 * @param email trusted as verified: it comes from the system of record (HR, the resident
 * registry), and the person sets their first password through a link sent to it
 */
public record AccountFields(String username, String externalId, String email, String givenName, String familyName,
		String displayName, boolean enabled) {

}
