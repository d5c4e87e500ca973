package jp.hitotsu.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * Keys and an access token shaped like the server's: keys generated as
 * {@code SigningKeyService} does (RSA 2048 for RS256, P-256 for ES256, with a kid, use and
 * alg), and the claims an access token of an authorization-code login carries (RFC 9068
 * {@code at+jwt} with the client's visible roles, as {@code RealmTokenCustomizer} fills it).
 */
final class Tokens {

	static final String ISSUER = "http://127.0.0.1:8080/realms/staff";

	static final String CLIENT_ID = "finance-system";

	static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

	private Tokens() {
	}

	static JWK generateKey(JWSAlgorithm algorithm) throws JOSEException {
		String kid = UUID.randomUUID().toString();
		if (JWSAlgorithm.RS256.equals(algorithm)) {
			return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
		}
		if (JWSAlgorithm.ES256.equals(algorithm)) {
			return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
		}
		throw new IllegalArgumentException(algorithm.getName());
	}

	/** The Nimbus header the server's encoder produces: alg, kid, typ. */
	static JWSHeader nimbusHeader(JWK key) {
		return new JWSHeader.Builder(JWSAlgorithm.parse(key.getAlgorithm().getName())).keyID(key.getKeyID())
			.type(AT_JWT)
			.build();
	}

	/** The same claims as {@link #springParameters}, valid for an hour from now. */
	static JWTClaimsSet nimbusClaims() {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().subject("tanaka")
			.audience(CLIENT_ID)
			.notBeforeTime(Date.from(now))
			.claim("scope", List.of("openid", "profile", "email"))
			.issuer(ISSUER)
			.expirationTime(Date.from(now.plus(1, ChronoUnit.HOURS)))
			.issueTime(Date.from(now))
			.jwtID(UUID.randomUUID().toString())
			.claim("client_id", CLIENT_ID)
			.claim("roles", List.of("finance-viewer", "finance-approver"))
			.build();
	}

	/** What the authorization server hands to {@code JwtEncoder.encode} for an access token. */
	static JwtEncoderParameters springParameters(JWSAlgorithm algorithm) {
		Instant now = Instant.now();
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.from(algorithm.getName())).type("at+jwt").build();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.subject("tanaka")
			.audience(List.of(CLIENT_ID))
			.notBefore(now)
			.claim("scope", List.of("openid", "profile", "email"))
			.issuer(ISSUER)
			.expiresAt(now.plus(1, ChronoUnit.HOURS))
			.issuedAt(now)
			.id(UUID.randomUUID().toString())
			.claim("client_id", CLIENT_ID)
			.claim("roles", List.of("finance-viewer", "finance-approver"))
			.build();
		return JwtEncoderParameters.from(header, claims);
	}

}
