package jp.hitotsu.realm;

/**
 * A set of accounts, clients, keys and policies with one issuer,
 * {@code {base}/realms/{name}}. It belongs to one zone.
 */
public record Realm(String name, Zone zone, DisplayName displayName, TokenPolicy tokens, LoginPolicy login,
		PasswordPolicy passwordPolicy, BruteForcePolicy bruteForce, RegistrationPolicy registration) {

	public Realm {
		// settings stored before the brute-force block existed read as absent
		bruteForce = (bruteForce != null) ? bruteForce : BruteForcePolicy.DEFAULTS;
		// and before the registration block existed, as no sign-up
		registration = (registration != null) ? registration : RegistrationPolicy.DEFAULTS;
	}

	/** The path of the realm's issuer, relative to the server's base URL. */
	public String issuerPath() {
		return "/realms/" + this.name;
	}

}
