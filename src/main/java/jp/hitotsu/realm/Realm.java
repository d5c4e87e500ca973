package jp.hitotsu.realm;

/**
 * A set of accounts, clients, keys and policies with one issuer,
 * {@code {base}/realms/{name}}. It belongs to one zone.
 */
public record Realm(String name, Zone zone, DisplayName displayName, TokenPolicy tokens, LoginPolicy login,
		PasswordPolicy passwordPolicy, BruteForcePolicy bruteForce) {

	public Realm {
		// settings stored before the brute-force block existed read as absent
		bruteForce = (bruteForce != null) ? bruteForce : BruteForcePolicy.DEFAULTS;
	}

	/**
	 * Checks a client registered at runtime (admin API) against the rules of the realm's
	 * zone, as loading a realm file checks the file's clients.
	 * @throws IllegalArgumentException naming the realm, the client and the rule broken
	 */
	public void checkClient(ClientDefinition client) {
		if (this.zone == Zone.MYNUMBER) {
			MyNumberZoneRules.checkClient(this.name, this.login, client);
		}
	}

	/** The path of the realm's issuer, relative to the server's base URL. */
	public String issuerPath() {
		return "/realms/" + this.name;
	}

}
