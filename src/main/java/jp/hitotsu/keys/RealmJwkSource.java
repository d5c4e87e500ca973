package jp.hitotsu.keys;

import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jp.hitotsu.realm.RealmContext;

import org.springframework.stereotype.Component;

/**
 * The public keys of the realm of the current request: what the authorization server's
 * JWKS endpoint publishes, and what verifies tokens presented to this realm. Another
 * realm's keys are never offered, so its tokens never verify here.
 */
@Component
public class RealmJwkSource implements JWKSource<SecurityContext> {

	private final SigningKeyService keys;

	RealmJwkSource(SigningKeyService keys) {
		this.keys = keys;
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) {
		return selector.select(this.keys.publishedKeys(RealmContext.require().name()));
	}

}
