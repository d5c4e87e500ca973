package jp.hitotsu.realm;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The security policy of the My Number zone (個人番号利用事務系), one rule per constant: an
 * id, the sentence the README shows, and a check that returns what it found wrong in a
 * realm file (empty when the file complies). A realm of the {@code mynumber} zone is held to
 * every rule; a realm of another zone to those it lists under {@code policies}. A file that
 * breaks one does not start, and the message names the file, the realm, the rule and the
 * value found ({@link #enforce}).
 *
 * <p>
 * Some rules are kept at runtime rather than in the file (sender-constrained tokens at the
 * token endpoint and UserInfo, audit of every call): their check has nothing to find, and
 * the code asks {@link Realm#requires(RealmRule)}. A future realm-file field the policy
 * must cover (self-registration, upstream identity providers) is
 * one component of {@link Subject} and one line in the rule that reads it.
 */
public enum RealmRule {

	PHISHING_RESISTANT_LOGIN("phishing-resistant-login",
			"two factors on every login, one of them phishing-resistant: `login.level: aal3` (a passkey; an authenticator app alone is not enough)",
			(realm) -> found(realm.login().level() != AssuranceLevel.AAL3,
					"login.level is " + realm.login().level().key())),

	SHORT_SESSIONS("short-sessions", "a login lasts at most 12 h (`login.session-lifetime`) and ends after 15 min unused (`login.session-idle-timeout`)",
			(realm) -> Stream.concat(
					found(realm.login().sessionLifetime().compareTo(Limits.SESSION) > 0,
							"login.session-lifetime is " + realm.login().sessionLifetime()),
					found(realm.login().sessionIdleTimeout().compareTo(Limits.IDLE) > 0,
							"login.session-idle-timeout is " + realm.login().sessionIdleTimeout()))),

	SHORT_ACCESS_TOKENS("short-access-tokens", "access tokens live at most 5 min (realm and client `access-token-lifetime`)",
			(realm) -> Stream.concat(
					found(realm.tokens().accessTokenLifetime().compareTo(Limits.ACCESS_TOKEN) > 0,
							"tokens.access-token-lifetime is " + realm.tokens().accessTokenLifetime()),
					eachClient(realm, (client) -> found(longer(client.accessTokenLifetime(), Limits.ACCESS_TOKEN),
							"access-token-lifetime is " + client.accessTokenLifetime())))),

	CONFIDENTIAL_REFRESH_TOKENS("confidential-refresh-tokens", "refresh tokens only for confidential clients (a public client has no `refresh_token` grant)",
			(realm) -> eachClient(realm, (client) -> found(client.isPublic() && client.grantTypes().contains("refresh_token"),
					"a public client (authentication-methods [none]) has grant-types " + client.grantTypes()))),

	REFRESH_WITHIN_SESSION("refresh-within-session", "a refresh token never outlives the login: `refresh-token-lifetime` at most `login.session-lifetime`",
			(realm) -> Stream.concat(
					found(longer(realm.tokens().refreshTokenLifetime(), realm.login().sessionLifetime()),
							"tokens.refresh-token-lifetime is " + realm.tokens().refreshTokenLifetime()
									+ ", longer than login.session-lifetime " + realm.login().sessionLifetime()),
					eachClient(realm, (client) -> found(longer(client.refreshTokenLifetime(), realm.login().sessionLifetime()),
							"refresh-token-lifetime is " + client.refreshTokenLifetime()
									+ ", longer than login.session-lifetime " + realm.login().sessionLifetime())))),

	SENDER_CONSTRAINED_TOKENS("sender-constrained-tokens",
			"every access token is bound to a key of its client with DPoP (RFC 9449): a token request without a DPoP proof is refused, and UserInfo accepts the token only as `Authorization: DPoP` with a fresh proof",
			// kept at the token endpoint and UserInfo; every client can send DPoP proofs
			(realm) -> Stream.empty()),

	PKCE_FOR_PUBLIC_CLIENTS("pkce-for-public-clients", "a public client always uses PKCE (`require-pkce`)",
			(realm) -> eachClient(realm, (client) -> found(client.isPublic() && !client.requirePkce(),
					"a public client has require-pkce false"))),

	NO_IMPLICIT_OR_PASSWORD_GRANTS("no-implicit-or-password-grants", "no implicit and no resource owner password grant",
			(realm) -> eachClient(realm, (client) -> found(
					client.grantTypes().contains("implicit") || client.grantTypes().contains("password"),
					"grant-types is " + client.grantTypes()))),

	NO_PASSWORD_RESET_BY_EMAIL("no-password-reset-by-email", "no password reset by e-mail (`password-policy.reset-by-email: false`): an e-mail is no proof of identity",
			(realm) -> found(realm.resetByEmail(), "password-policy.reset-by-email is true")),

	NO_SELF_REGISTRATION("no-self-registration", "no self-registration (`registration.enabled: false`): accounts come only from the directory",
			(realm) -> found(realm.registration().enabled(), "registration.enabled is true")),

	NO_OUTBOUND_CALLS("no-outbound-calls",
			"nothing in the realm makes the server call out: client keys are given inline (`jwks`), never fetched from a `jwks-uri`; logout tokens go only to hosts of `hitotsu.logout.allowed-hosts`; upstream providers (brokering) only on hosts of `hitotsu.federation.allowed-hosts`",
			// the hosts are the process's configuration, not the file's: session.LogoutHostsCheck keeps that part
			(realm) -> eachClient(realm, (client) -> found(client.jwksUri() != null,
					"jwks-uri is " + client.jwksUri() + " (give the public keys inline as jwks)"))),

	FULL_AUDIT("full-audit",
			"every login, failed login, token issued, refresh, UserInfo call, introspection call and admin change is written to the audit trail",
			// kept where each of those happens, through Realm.fullAudit()
			(realm) -> Stream.empty()),

	NO_DEVICE_GRANT("no-device-grant",
			"no device authorization grant (RFC 8628): a user code can be relayed to a victim who approves the attacker's device, and a shared terminal is no separated terminal",
			(realm) -> eachClient(realm, (client) -> found(client.grantTypes().contains(ClientDefinition.DEVICE_CODE),
					"grant-types has " + ClientDefinition.DEVICE_CODE)));

	private final String id;

	private final String description;

	private final Function<Subject, Stream<String>> check;

	RealmRule(String id, String description, Function<Subject, Stream<String>> check) {
		this.id = id;
		this.description = description;
		this.check = check;
	}

	@JsonValue
	public String id() {
		return this.id;
	}

	/** What the rule demands, in one sentence (the README lists these). */
	public String description() {
		return this.description;
	}

	/** What the realm file breaks of this rule, one text per value found; empty when it complies. */
	List<String> violations(Subject realm) {
		return this.check.apply(realm).toList();
	}

	@JsonCreator
	public static RealmRule of(String id) {
		return Arrays.stream(values())
			.filter((rule) -> rule.id.equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("unknown policy '" + id + "'; expected one of "
					+ Arrays.stream(values()).map(RealmRule::id).collect(Collectors.joining(", "))));
	}

	/** The rules a realm is held to: all of them in the My Number zone, else those it lists. */
	static Set<RealmRule> applying(Zone zone, List<RealmRule> listed) {
		if (zone == Zone.MYNUMBER) {
			return Collections.unmodifiableSet(EnumSet.allOf(RealmRule.class));
		}
		return listed.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(listed));
	}

	/**
	 * Checks every rule that applies; a realm that breaks any stops loading with all it
	 * breaks, each as "rule 'id' (what it demands): value found".
	 */
	static void enforce(String realm, Zone zone, Set<RealmRule> rules, Subject subject) {
		String broken = rules.stream()
			.flatMap((rule) -> rule.violations(subject)
				.stream()
				.map((value) -> "rule '" + rule.id + "' (" + rule.description + "): " + value))
			.collect(Collectors.joining("; "));
		String why = (zone == Zone.MYNUMBER) ? "zone mynumber, which holds every realm to every rule"
				: "its policies";
		Definitions.require(broken.isEmpty(), "realm '" + realm + "' (" + why + ") breaks " + broken);
	}

	private static Stream<String> found(boolean broken, String value) {
		return broken ? Stream.of(value) : Stream.empty();
	}

	private static boolean longer(Duration value, Duration limit) {
		return value != null && value.compareTo(limit) > 0;
	}

	private static Stream<String> eachClient(Subject realm, Function<ClientDefinition, Stream<String>> check) {
		return realm.clients()
			.stream()
			.flatMap((client) -> check.apply(client).map((value) -> "client '" + client.clientId() + "': " + value));
	}

	/** What the rules read of a realm file. */
	record Subject(TokenPolicy tokens, LoginPolicy login, boolean resetByEmail, RegistrationPolicy registration,
			List<ClientDefinition> clients) {
	}

	/** The zone's limits, named once. */
	static final class Limits {

		static final Duration SESSION = Duration.ofHours(12);

		static final Duration IDLE = Duration.ofMinutes(15);

		static final Duration ACCESS_TOKEN = Duration.ofMinutes(5);

		private Limits() {
		}

	}

}
