package jp.hitotsu.oidc;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWKSet;

import jp.hitotsu.keys.RealmJwkSource;
import jp.hitotsu.keys.SigningKeyService;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Verifies access tokens presented to a realm's own endpoints (UserInfo, introspection of
 * self-contained tokens): signed by one of this realm's keys and issued by this realm. A
 * token of another realm fails both. The issuer is compared by its realm path, not its
 * host: replicas reached through different host names (internal and public, or each
 * instance's own address) issue tokens with different base URLs for the same realm.
 * The admin API verifies tokens of the admin realm with it, bound to that realm.
 */
@Component
public class RealmAccessTokenDecoder implements JwtDecoder {

	private final NimbusJwtDecoder decoder;

	private final SigningKeyService keys;

	private final OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
			new JwtTimestampValidator(), new IssuerOfThisRealm());

	/**
	 * Tokens whose signature was already checked, by realm and value, with the key set that
	 * checked them. A resource server presents the same access token many times in its
	 * lifetime; checking the signature (0.05 ms RS256, 0.4-1 ms ES256) and parsing it again
	 * each time buys nothing. Expiry and issuer are still checked at every use, and a new
	 * key set (rotation, reload) checks the signature again.
	 */
	private final Cache<String, Verified> verified = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(10))
		.build();

	RealmAccessTokenDecoder(RealmJwkSource realmKeys, SigningKeyService keys) {
		this.keys = keys;
		this.decoder = NimbusJwtDecoder.withJwkSource(realmKeys)
			.jwsAlgorithms((algorithms) -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.ES256);
			})
			.build();
		// validated below, for checked and remembered tokens alike
		this.decoder.setJwtValidator((jwt) -> OAuth2TokenValidatorResult.success());
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		String realm = RealmContext.require().name();
		JWKSet realmKeys = this.keys.publishedKeys(realm);
		String cacheKey = realm + " " + token;
		Verified known = this.verified.getIfPresent(cacheKey);
		Jwt jwt;
		if (known != null && known.keys() == realmKeys) {
			jwt = known.jwt();
		}
		else {
			jwt = this.decoder.decode(token);
			this.verified.put(cacheKey, new Verified(realmKeys, jwt));
		}
		OAuth2TokenValidatorResult result = this.validator.validate(jwt);
		if (result.hasErrors()) {
			String description = result.getErrors().iterator().next().getDescription();
			throw new JwtValidationException("An error occurred while attempting to decode the Jwt: " + description,
					result.getErrors());
		}
		return jwt;
	}

	private record Verified(JWKSet keys, Jwt jwt) {
	}

	private static final class IssuerOfThisRealm implements OAuth2TokenValidator<Jwt> {

		@Override
		public OAuth2TokenValidatorResult validate(Jwt jwt) {
			String expectedPath = RealmContext.require().issuerPath();
			// the claim as it is: getIssuer() would convert it to a URL first, a third of this check
			String issuer = Objects.requireNonNullElse(jwt.getClaimAsString(JwtClaimNames.ISS), "");
			try {
				if (expectedPath.equals(URI.create(issuer).getPath())) {
					return OAuth2TokenValidatorResult.success();
				}
			}
			catch (IllegalArgumentException ex) {
				// not a URI: not ours
			}
			return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
					"The token was not issued by realm " + RealmContext.require().name(), null));
		}

	}

}
