package jp.hitotsu.realm;

import java.time.Duration;
import java.util.Set;

/**
 * Token lifetimes and signing of a realm. Lifetimes are written like {@code 5m},
 * {@code 8h} or ISO-8601 ({@code PT5M}).
 *
 * @param accessTokenLifetime lifetime of access tokens (JWT)
 * @param idTokenLifetime lifetime of ID tokens
 * @param refreshTokenLifetime lifetime of refresh tokens; each rotation issues a new one
 * @param authorizationCodeLifetime lifetime of authorization codes
 * @param signingAlgorithm JWS algorithm of access tokens and, unless a client asks
 * otherwise, ID tokens: {@code RS256} or {@code ES256}
 */
public record TokenPolicy(Duration accessTokenLifetime, Duration idTokenLifetime, Duration refreshTokenLifetime,
		Duration authorizationCodeLifetime, String signingAlgorithm) {

	public static final Set<String> SIGNING_ALGORITHMS = Set.of("RS256", "ES256");

	public static final TokenPolicy DEFAULTS = new TokenPolicy(null, null, null, null, null);

	public TokenPolicy {
		accessTokenLifetime = positive(accessTokenLifetime, Duration.ofMinutes(5), "tokens.access-token-lifetime");
		idTokenLifetime = positive(idTokenLifetime, Duration.ofMinutes(5), "tokens.id-token-lifetime");
		refreshTokenLifetime = positive(refreshTokenLifetime, Duration.ofHours(8), "tokens.refresh-token-lifetime");
		authorizationCodeLifetime = positive(authorizationCodeLifetime, Duration.ofMinutes(1),
				"tokens.authorization-code-lifetime");
		signingAlgorithm = (signingAlgorithm != null) ? signingAlgorithm : "RS256";
		Definitions.require(SIGNING_ALGORITHMS.contains(signingAlgorithm),
				"tokens.signing-algorithm '" + signingAlgorithm + "' is not supported; use RS256 or ES256");
	}

	static Duration positive(Duration value, Duration fallback, String field) {
		if (value == null) {
			return fallback;
		}
		Definitions.require(!value.isNegative() && !value.isZero(), field + " must be positive, got " + value);
		return value;
	}

}
