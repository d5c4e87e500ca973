package jp.hitotsu.realm;

import java.util.List;

/**
 * An initial account in a realm file: created when missing, never overwritten.
 *
 * @param username the login name, unique in the realm regardless of case
 * @param password the initial password (hashed before it is stored)
 * @param email the e-mail address
 * @param emailVerified whether the address is known to belong to the person
 * @param givenName given name as written (any Unicode)
 * @param familyName family name as written
 * @param name the full name as shown; "family given" when absent
 * @param roles realm roles granted directly
 * @param enabled whether the account can log in
 * @param demo a demonstration account: its password is shown on the home page and in the
 * startup log (never mark a real account so)
 */
public record UserDefinition(String username, String password, String email, boolean emailVerified,
		String givenName, String familyName, String name, List<String> roles, Boolean enabled,
		boolean demo) {

	public UserDefinition {
		Definitions.require(username != null && !username.isBlank() && username.length() <= 255,
				"user username is missing or longer than 255 characters");
		Definitions.require(password == null || !password.isEmpty(), "user '" + username + "': password is empty");
		Definitions.require(email == null || email.contains("@"),
				"user '" + username + "': email '" + email + "' is not an e-mail address");
		roles = Definitions.listOrEmpty(roles);
		enabled = (enabled == null) || enabled;
		Definitions.require(!demo || password != null, "user '" + username + "': a demo account needs a password");
	}

}
