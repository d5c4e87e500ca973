package jp.hitotsu.keys;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/**
 * Signs tokens with the current realm's active key for the requested algorithm. Only
 * active keys are offered to the encoder: a retired key must never sign again.
 */
@Component
public class RealmJwtEncoder implements JwtEncoder {

	private final SigningKeyService keys;

	private final Map<String, EncoderForKeys> encoders = new ConcurrentHashMap<>();

	RealmJwtEncoder(SigningKeyService keys) {
		this.keys = keys;
	}

	@Override
	public Jwt encode(JwtEncoderParameters parameters) throws JwtEncodingException {
		String realm = RealmContext.require().name();
		JWKSet signing = this.keys.signingKeys(realm);
		EncoderForKeys current = this.encoders.get(realm);
		if (current == null || current.keys() != signing) {
			current = new EncoderForKeys(signing, new NimbusJwtEncoder(new ImmutableJWKSet<>(signing)));
			this.encoders.put(realm, current);
		}
		return current.encoder().encode(parameters);
	}

	private record EncoderForKeys(JWKSet keys, NimbusJwtEncoder encoder) {
	}

}
