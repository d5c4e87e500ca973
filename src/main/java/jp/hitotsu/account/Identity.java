package jp.hitotsu.account;

import java.util.Set;
import java.util.UUID;

/**
 * What other features may know of an account: never its credentials.
 *
 * @param id the account's stable, opaque identifier; the {@code sub} of its tokens
 * @param phoneNumber E.164, or null
 */
public record Identity(UUID id, String realm, String username, String name, String givenName, String familyName,
		String email, boolean emailVerified, Set<String> roles, boolean enabled, String phoneNumber) {

	public String subject() {
		return this.id.toString();
	}

}
