package jp.hitotsu.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;

/** A client's DPoP key pair (RFC 9449) and the Nimbus factory that signs its proofs. */
public final class DPoPKeys {

	private DPoPKeys() {
	}

	/** A new P-256 key, as a client makes one for its DPoP proofs. */
	public static ECKey newKey() {
		try {
			return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
		}
		catch (JOSEException ex) {
			throw new AssertionError(ex);
		}
	}

	/** Proofs signed with the key (ES256), each with a new {@code jti} and the current time. */
	public static DefaultDPoPProofFactory proofs(ECKey key) {
		try {
			return new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
		}
		catch (JOSEException ex) {
			throw new AssertionError(ex);
		}
	}

}
