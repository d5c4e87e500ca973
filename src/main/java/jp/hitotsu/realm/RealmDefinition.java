package jp.hitotsu.realm;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The contents of one realm file in {@code config/realms/}.
 *
 * <p>
 * {@code policies} lists the rules of {@link RealmRule} a realm outside the My Number zone
 * opts into; a realm of that zone is held to all of them whatever it lists.
 */
public record RealmDefinition(String name, Zone zone, DisplayName displayName, TokenPolicy tokens,
		LoginPolicy login, PasswordPolicy.Written passwordPolicy, BruteForcePolicy bruteForce,
		List<RealmRule> policies, AuditPolicy audit, List<ClientDefinition> clients, List<UserDefinition> users,
		RegistrationPolicy registration, ProfilePolicy profile, List<UpstreamDefinition> upstreamProviders) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	public RealmDefinition {
		Definitions.require(name != null && NAME.matcher(name).matches(), "name '" + name
				+ "' is missing or not 1-63 characters of a-z, 0-9 and '-' (starting with a letter or digit)");
		Definitions.require(zone != null, "realm '" + name + "': zone is required (internet, lgwan or mynumber)");
		Definitions.require(displayName != null, "realm '" + name + "': display-name (ja, en) is required");
		tokens = (tokens != null) ? tokens : TokenPolicy.DEFAULTS;
		login = (login != null) ? login : LoginPolicy.DEFAULTS;
		passwordPolicy = (passwordPolicy != null) ? passwordPolicy : new PasswordPolicy.Written(null, null, null, null, null);
		// resolved here too, so that a broken policy stops loading with the file's name and line
		boolean resetByEmail = passwordPolicy.resolve(login.level()).resetByEmail();
		bruteForce = (bruteForce != null) ? bruteForce : BruteForcePolicy.DEFAULTS;
		audit = (audit != null) ? audit : AuditPolicy.DEFAULTS;
		clients = Definitions.listOrEmpty(clients);
		registration = (registration != null) ? registration : RegistrationPolicy.DEFAULTS;
		profile = (profile != null) ? profile.orDefaultsFor(registration) : ProfilePolicy.defaultsFor(registration);
		policies = List.copyOf(RealmRule.applying(zone, Definitions.listOrEmpty(policies)));
		RealmRule.enforce(name, zone, Set.copyOf(policies),
				new RealmRule.Subject(tokens, login, resetByEmail, registration, clients));
		users = Definitions.listOrEmpty(users);
		upstreamProviders = Definitions.listOrEmpty(upstreamProviders);
		Set<String> aliases = new HashSet<>();
		for (UpstreamDefinition upstream : upstreamProviders) {
			Definitions.require(aliases.add(upstream.alias()),
					"realm '" + name + "': upstream provider '" + upstream.alias() + "' appears twice");
		}
		Set<String> clientIds = new HashSet<>();
		for (ClientDefinition client : clients) {
			Definitions.require(clientIds.add(client.clientId()),
					"realm '" + name + "': client-id '" + client.clientId() + "' appears twice");
		}
		Set<String> usernames = new HashSet<>();
		for (UserDefinition user : users) {
			Definitions.require(usernames.add(user.username().toLowerCase(Locale.ROOT)),
					"realm '" + name + "': username '" + user.username() + "' appears twice");
		}
	}

	public Realm realm() {
		return new Realm(this.name, this.zone, this.displayName, this.tokens, this.login,
				this.passwordPolicy.resolve(this.login.level()), this.bruteForce, Set.copyOf(this.policies), this.audit,
				this.registration, this.profile);
	}

}
