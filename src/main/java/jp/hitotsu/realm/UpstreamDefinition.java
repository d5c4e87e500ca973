package jp.hitotsu.realm;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * An upstream OpenID provider a realm trusts for logins (brokering), as its realm file
 * names it under {@code upstream-providers}.
 *
 * @param alias the provider's name in URLs ({@code /realms/{realm}/broker/{alias}/...})
 * @param displayName the text of its button on the login page
 * @param issuer the provider's issuer; its metadata is found through discovery
 * @param clientId this realm's {@code client_id} at the provider
 * @param privateKeyFile a JWK (JSON) file with the private key this realm signs its
 * {@code private_key_jwt} client assertions with; its public half is published at
 * {@code /realms/{realm}/broker/{alias}/jwks}
 * @param scopes the scopes asked for; {@code openid} is always among them
 * @param acrValues the {@code acr_values} asked for; when given, an ID token whose
 * {@code acr} is none of them is refused
 * @param idTokenAlgorithm the algorithm the provider signs ID tokens with
 * @param claims account field ({@code family-name}, {@code given-name}, {@code email})
 * to the provider's claim that fills it when an account is created
 * @param ial the identity assurance level (1-3) a login through the provider proves
 * @param level the authenticator assurance level a login through it counts as
 * @param firstLogin what a first login through it does: {@code create} an account, or
 * {@code link} to the account the person then logs in to
 */
public record UpstreamDefinition(String alias, DisplayName displayName, URI issuer, String clientId,
		String privateKeyFile, List<String> scopes, List<String> acrValues, String idTokenAlgorithm,
		Map<String, String> claims, Integer ial, AssuranceLevel level, FirstLogin firstLogin) {

	private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	/** The account fields a claim can fill. */
	public static final Set<String> CLAIM_FIELDS = Set.of("family-name", "given-name", "email");

	public UpstreamDefinition {
		Definitions.require(alias != null && ALIAS.matcher(alias).matches(),
				"upstream provider alias '" + alias + "' is missing or not 1-63 characters of a-z, 0-9 and '-'");
		String named = "upstream provider '" + alias + "': ";
		Definitions.require(displayName != null, named + "display-name (ja, en) is required");
		Definitions.require(issuer != null && issuer.isAbsolute() && issuer.getHost() != null
				&& ("https".equals(issuer.getScheme()) || ("http".equals(issuer.getScheme()) && loopback(issuer))),
				named + "issuer must be an https URL (http only on a loopback address)");
		Definitions.require(clientId != null && !clientId.isBlank(), named + "client-id is required");
		Definitions.require(privateKeyFile != null && !privateKeyFile.isBlank(),
				named + "private-key-file is required (a JWK file with the key for private_key_jwt)");
		scopes = Definitions.listOrEmpty(scopes);
		if (!scopes.contains("openid")) {
			scopes = Stream.concat(Stream.of("openid"), scopes.stream()).toList();
		}
		acrValues = Definitions.listOrEmpty(acrValues);
		idTokenAlgorithm = (idTokenAlgorithm != null) ? idTokenAlgorithm : "RS256";
		Definitions.require(Set.of("RS256", "PS256", "ES256").contains(idTokenAlgorithm),
				named + "id-token-algorithm must be RS256, PS256 or ES256");
		claims = (claims != null) ? Map.copyOf(claims) : Map.of("family-name", "family_name", "given-name",
				"given_name", "email", "email");
		for (String field : claims.keySet()) {
			Definitions.require(CLAIM_FIELDS.contains(field),
					named + "claims has '" + field + "'; expected family-name, given-name or email");
		}
		ial = (ial != null) ? ial : 1;
		Definitions.require(ial >= 1 && ial <= 3, named + "ial must be 1, 2 or 3");
		level = (level != null) ? level : AssuranceLevel.AAL1;
		firstLogin = (firstLogin != null) ? firstLogin : FirstLogin.CREATE;
	}

	private static boolean loopback(URI uri) {
		return uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost") || uri.getHost().equals("[::1]");
	}

	/** What the first login of a person through an upstream provider does. */
	public enum FirstLogin {

		/** Creates an account from the provider's claims. */
		CREATE,
		/** Asks the person to log in to their existing account, then links it. */
		LINK;

		@JsonCreator
		static FirstLogin of(String value) {
			for (FirstLogin each : values()) {
				if (each.name().equalsIgnoreCase(value)) {
					return each;
				}
			}
			throw new IllegalArgumentException("unknown first-login '" + value + "'; expected create or link");
		}

	}

}
