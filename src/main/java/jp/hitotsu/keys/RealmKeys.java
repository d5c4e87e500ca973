package jp.hitotsu.keys;

import java.time.Instant;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * A realm's keys as held in memory.
 *
 * @param signing per algorithm, the key that signs now, with its private part
 * @param published the public keys a verifier may meet: those that sign, those published
 * ahead of signing, and those retired recently enough that tokens they signed may still
 * be valid
 * @param publishedJson {@link #published} as served at the JWKS endpoint
 * @param reloadAt when to read the keys again: after {@code hitotsu.keys.cache-refresh},
 * or sooner, when a published key starts to sign
 * @param unsettled whether the stored statuses lag behind what time has decided (a
 * published key that signs now, or a key it replaced still marked active)
 */
record RealmKeys(JWKSet signing, JWKSet published, String publishedJson, Instant reloadAt, boolean unsettled) {

	/** The same keys, to be read again at another time. */
	RealmKeys readAgainAt(Instant at) {
		return new RealmKeys(this.signing, this.published, this.publishedJson, at, this.unsettled);
	}

}
