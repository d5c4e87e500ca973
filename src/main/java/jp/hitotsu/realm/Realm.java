package jp.hitotsu.realm;

import java.util.List;
import java.util.Set;

/**
 * A set of accounts, clients, keys and policies with one issuer,
 * {@code {base}/realms/{name}}. It belongs to one zone.
 *
 * @param policies the rules of {@link RealmRule} the realm is held to (every rule in the My
 * Number zone)
 * @param profile what people may edit of their own data on the account console
 */
public record Realm(String name, Zone zone, DisplayName displayName, TokenPolicy tokens, LoginPolicy login,
		PasswordPolicy passwordPolicy, BruteForcePolicy bruteForce, Set<RealmRule> policies, AuditPolicy audit,
		RegistrationPolicy registration, ProfilePolicy profile) {

	public Realm {
		// settings stored before the brute-force block existed read as absent
		bruteForce = (bruteForce != null) ? bruteForce : BruteForcePolicy.DEFAULTS;
		// ... and so do policies stored before realms had them
		policies = (policies != null) ? Set.copyOf(policies) : Set.of();
		// ... and before the audit block
		audit = (audit != null) ? audit : AuditPolicy.DEFAULTS;
		// ... and before the registration block existed, as no sign-up
		registration = (registration != null) ? registration : RegistrationPolicy.DEFAULTS;
		// ... and before the profile block, or a file without its list, as the realm's kind suggests
		profile = (profile != null) ? profile.orDefaultsFor(registration) : ProfilePolicy.defaultsFor(registration);
	}

	/**
	 * Checks a client registered at runtime (admin API) against the rules the realm is held
	 * to, as loading a realm file checks the file's clients.
	 * @throws IllegalArgumentException naming the realm, the client and the rule broken
	 */
	public void checkClient(ClientDefinition client) {
		RealmRule.enforce(this.name, this.zone, this.policies,
				new RealmRule.Subject(this.tokens, this.login, this.passwordPolicy.resetByEmail(), this.registration,
						List.of(client)));
	}

	/** The path of the realm's issuer, relative to the server's base URL. */
	public String issuerPath() {
		return "/realms/" + this.name;
	}

	public boolean requires(RealmRule rule) {
		return this.policies.contains(rule);
	}

	/** Whether every login, token, UserInfo and introspection call and admin change is audited. */
	public boolean fullAudit() {
		return requires(RealmRule.FULL_AUDIT);
	}

	/** Whether every access token must be bound to its client's key (DPoP) and presented with a proof. */
	public boolean senderConstrainedTokens() {
		return requires(RealmRule.SENDER_CONSTRAINED_TOKENS);
	}

}
