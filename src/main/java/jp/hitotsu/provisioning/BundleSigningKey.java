package jp.hitotsu.provisioning;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import jp.hitotsu.keys.SealedSecrets;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The key this zone signs its directory bundles with: one per database, an ES256 (P-256)
 * key made on first use. Its private part is kept sealed under the master key; its public
 * part is what an importing zone pins. The row also counts the bundles signed, which gives
 * each bundle its sequence number.
 */
@Component
class BundleSigningKey {

	/** What the sealed private key is bound to, so it opens nowhere else. */
	private static final String SEALED_FOR = "bundle-signing-key";

	private final JdbcClient jdbc;

	private final SealedSecrets sealed;

	private final Clock clock;

	BundleSigningKey(JdbcClient jdbc, SealedSecrets sealed, Clock clock) {
		this.jdbc = jdbc;
		this.sealed = sealed;
		this.clock = clock;
	}

	/** The public key to pin in an importing zone, made now if this zone has none yet. */
	@Transactional
	ECKey publicKey() {
		ensure();
		return parse(this.jdbc.sql("select public_jwk from bundle_signing_key where id = 1").query(String.class).single());
	}

	/**
	 * The private key and the next sequence number, in the caller's transaction: the row
	 * stays locked until it ends, so two exports never share a number, and a failed export
	 * gives its number back.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	Signing next() {
		ensure();
		return this.jdbc.sql("update bundle_signing_key set sequence = sequence + 1 where id = 1 returning sealed_jwk, sequence")
			.query((rs, row) -> new Signing(parse(this.sealed.open(rs.getString("sealed_jwk"), SEALED_FOR)),
					rs.getLong("sequence")))
			.single();
	}

	private void ensure() {
		if (this.jdbc.sql("select exists (select 1 from bundle_signing_key)").query(Boolean.class).single()) {
			return;
		}
		ECKey key;
		try {
			key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.ES256)
				.keyIDFromThumbprint(true)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot generate a bundle-signing key", ex);
		}
		// two processes making one at once: the first insert wins, the other key is dropped
		this.jdbc.sql("""
				insert into bundle_signing_key (id, kid, public_jwk, sealed_jwk, created_at)
				values (1, :kid, :public, :sealed, :now) on conflict (id) do nothing
				""")
			.param("kid", key.getKeyID())
			.param("public", key.toPublicJWK().toJSONString())
			.param("sealed", this.sealed.seal(key.toJSONString(), SEALED_FOR))
			.param("now", Timestamp.from(this.clock.instant()))
			.update();
	}

	private static ECKey parse(String json) {
		try {
			return ECKey.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("The stored bundle-signing key is not an EC JWK", ex);
		}
	}

	/** The key to sign one bundle with, and that bundle's sequence number. */
	record Signing(ECKey key, long sequence) {
	}

}
