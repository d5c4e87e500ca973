package jp.hitotsu.realm;

import java.time.Duration;
import java.util.List;

/**
 * What a realm of the My Number zone (個人番号利用事務系) must be, checked when its file
 * loads: a realm that breaks one rule does not start, and the message names the realm, the
 * rule and the value found. The zone's process serves nothing else, so these are the
 * floor every realm there stands on, not defaults a file could lower.
 */
final class MyNumberZoneRules {

	static final Duration MAX_ACCESS_TOKEN = Duration.ofMinutes(5);

	private MyNumberZoneRules() {
	}

	static void check(String realm, TokenPolicy tokens, LoginPolicy login, boolean resetByEmail,
			List<ClientDefinition> clients) {
		String where = "realm '" + realm + "' (zone mynumber): ";
		Definitions.require(login.level() == AssuranceLevel.AAL3, where + "rule 'two factors, one phishing-resistant': "
				+ "login.level is " + login.level().key() + ", must be aal3 (a passkey in every login)");
		Definitions.require(tokens.accessTokenLifetime().compareTo(MAX_ACCESS_TOKEN) <= 0,
				where + "rule 'short-lived access tokens': tokens.access-token-lifetime is "
						+ tokens.accessTokenLifetime() + ", must be at most " + MAX_ACCESS_TOKEN);
		Definitions.require(tokens.refreshTokenLifetime().compareTo(login.sessionLifetime()) <= 0,
				where + "rule 'refresh tokens never outlive the session': tokens.refresh-token-lifetime is "
						+ tokens.refreshTokenLifetime() + ", longer than login.session-lifetime "
						+ login.sessionLifetime());
		Definitions.require(!resetByEmail, where + "rule 'no password reset by e-mail': "
				+ "password-policy.reset-by-email is true; an e-mail is no proof of identity there");
		for (ClientDefinition client : clients) {
			String clientWhere = where + "client '" + client.clientId() + "': ";
			Definitions.require(!client.isPublic() || !client.grantTypes().contains("refresh_token"),
					clientWhere + "rule 'refresh tokens only for confidential clients': a public client has grant-types "
							+ client.grantTypes());
			Definitions.require(client.jwksUri() == null, clientWhere + "rule 'no outbound calls': jwks-uri is "
					+ client.jwksUri() + "; give the client's public keys inline (jwks), the zone has no route out");
			Definitions.require(client.accessTokenLifetime() == null
					|| client.accessTokenLifetime().compareTo(MAX_ACCESS_TOKEN) <= 0,
					clientWhere + "rule 'short-lived access tokens': access-token-lifetime is "
							+ client.accessTokenLifetime() + ", must be at most " + MAX_ACCESS_TOKEN);
			Definitions.require(client.refreshTokenLifetime() == null
					|| client.refreshTokenLifetime().compareTo(login.sessionLifetime()) <= 0,
					clientWhere + "rule 'refresh tokens never outlive the session': refresh-token-lifetime is "
							+ client.refreshTokenLifetime() + ", longer than login.session-lifetime "
							+ login.sessionLifetime());
		}
	}

	/** Kept apart from {@link #check}: one rule, on the realm file's {@code registration} block. */
	static void checkRegistration(String realm, RegistrationPolicy registration) {
		Definitions.require(!registration.enabled(), "realm '" + realm + "' (zone mynumber): rule 'no self-registration': "
				+ "registration.enabled is true; accounts there come only from the directory");
	}

}
