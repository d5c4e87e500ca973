package jp.hitotsu.oidc;

import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Verifies {@code private_key_jwt} client assertions. A client whose keys are given inline
 * in its realm file is checked against them, with nothing fetched (the separated zone
 * makes no outbound calls); a client with a {@code jwks-uri} falls to the authorization
 * server's own factory. Both apply the same claim checks (iss, sub, aud, exp).
 */
final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

	/** Client setting: the client's public JWK set, as JSON. */
	static final String INLINE_JWKS = "hitotsu.jwks";

	private final JwtClientAssertionDecoderFactory remoteKeys = new JwtClientAssertionDecoderFactory();

	private final Map<String, InlineDecoder> inline = new ConcurrentHashMap<>();

	@Override
	public JwtDecoder createDecoder(RegisteredClient client) {
		String jwks = client.getClientSettings().getSetting(INLINE_JWKS);
		if (jwks == null) {
			return this.remoteKeys.createDecoder(client);
		}
		InlineDecoder cached = this.inline.get(client.getId());
		if (cached == null || !cached.jwks().equals(jwks)) {
			cached = new InlineDecoder(jwks, build(client, jwks));
			this.inline.put(client.getId(), cached);
		}
		return cached.decoder();
	}

	private static NimbusJwtDecoder build(RegisteredClient client, String jwks) {
		JWKSet keys;
		try {
			keys = JWKSet.parse(jwks);
		}
		catch (ParseException ex) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
					"The registered keys of client '" + client.getClientId() + "' cannot be read", null));
		}
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(keys))
			.jwsAlgorithms((algorithms) -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.ES256);
			})
			.build();
		decoder.setJwtValidator(JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY.apply(client));
		return decoder;
	}

	private record InlineDecoder(String jwks, NimbusJwtDecoder decoder) {
	}

}
