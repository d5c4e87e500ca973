package jp.hitotsu.oidc;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.stereotype.Component;

/**
 * What Hitotsu adds to Spring Security's DPoP support (RFC 9449), which verifies a proof's
 * signature, {@code typ}, {@code htm}, {@code htu}, {@code iat} (within 60 s of now),
 * {@code ath} and the key's match with the token's {@code cnf.jkt}, at the token endpoint
 * and at UserInfo:
 * <ul>
 * <li>a realm held to {@code sender-constrained-tokens} refuses a token request without a
 * proof;</li>
 * <li>a proof is accepted once across every replica: Spring remembers the {@code jti} of
 * recent proofs in its own process only, so each accepted proof's {@code jti} is also
 * recorded in PostgreSQL until its {@code iat} leaves the window, one insert per proof.</li>
 * </ul>
 */
@Component
class DPoPProofs {

	/**
	 * How long a proof's jti is kept after its iat: Spring accepts an iat up to 60 s either
	 * side of its clock, and replicas' clocks may differ a little more.
	 */
	static final Duration KEEP = Duration.ofMinutes(3);

	private final JdbcClient jdbc;

	private final Clock clock;

	DPoPProofs(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * At the token endpoint, once Spring verified the proof (if any) and before an access
	 * token is made: a realm that requires sender-constrained tokens gets none without a
	 * proof, and no proof is used twice. (Public clients get no refresh tokens from Spring's
	 * authorization server, so there is no refresh token of theirs to bind to the key.)
	 */
	void checkTokenRequest(Realm realm, JwtEncodingContext context) {
		Jwt proof = context.get(OAuth2TokenContext.DPOP_PROOF_KEY);
		if (proof == null) {
			if (realm.senderConstrainedTokens()) {
				throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF,
						"Realm " + realm.name() + " issues only sender-constrained access tokens (rule '"
								+ RealmRule.SENDER_CONSTRAINED_TOKENS.id()
								+ "'): send a DPoP proof (RFC 9449) in the DPoP header of the token request",
						null));
			}
			return;
		}
		if (!firstUse(realm.name(), proof.getId(), proof.getIssuedAt())) {
			throw new OAuth2AuthenticationException(replayed());
		}
	}

	/**
	 * At UserInfo, once Spring verified the proof: true when it was not used before. The
	 * header is parsed again only to read its {@code jti} and {@code iat}.
	 */
	boolean firstUseAtResource(String realm, String proof) {
		try {
			JWTClaimsSet claims = SignedJWT.parse(proof).getJWTClaimsSet();
			Instant issuedAt = (claims.getIssueTime() != null) ? claims.getIssueTime().toInstant() : null;
			return firstUse(realm, claims.getJWTID(), issuedAt);
		}
		catch (ParseException ex) {
			return false;
		}
	}

	static OAuth2Error replayed() {
		return new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF,
				"This DPoP proof was already used; make a new proof (a new jti) for every request", null);
	}

	private boolean firstUse(String realm, String jti, Instant issuedAt) {
		if (jti == null || issuedAt == null) {
			return false;
		}
		Instant expires = issuedAt.plus(KEEP);
		if (expires.isBefore(this.clock.instant())) {
			return false;
		}
		return this.jdbc.sql("""
				insert into dpop_proof (jti_hash, realm, expires_at) values (:hash, :realm, :expires)
				on conflict (jti_hash) do nothing
				""")
			.param("hash", PostgresAuthorizationService.hash(jti))
			.param("realm", realm)
			.param("expires", Timestamp.from(expires))
			.update() == 1;
	}

}
