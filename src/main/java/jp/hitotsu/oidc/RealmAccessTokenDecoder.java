package jp.hitotsu.oidc;

import java.net.URI;

import jp.hitotsu.keys.RealmJwkSource;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
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

	RealmAccessTokenDecoder(RealmJwkSource realmKeys) {
		this.decoder = NimbusJwtDecoder.withJwkSource(realmKeys)
			.jwsAlgorithms((algorithms) -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.ES256);
			})
			.build();
		this.decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
				new IssuerOfThisRealm()));
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		return this.decoder.decode(token);
	}

	private static final class IssuerOfThisRealm implements OAuth2TokenValidator<Jwt> {

		@Override
		public OAuth2TokenValidatorResult validate(Jwt jwt) {
			String expectedPath = RealmContext.require().issuerPath();
			String issuer = (jwt.getIssuer() != null) ? jwt.getIssuer().toString() : "";
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
