package jp.hitotsu.keys;

import java.time.Instant;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * A realm's keys as held in memory.
 *
 * @param signing the active keys with their private parts, one per algorithm
 * @param published the public keys a verifier may meet: active ones and those retired
 * recently enough that tokens they signed may still be valid
 * @param publishedJson {@link #published} as served at the JWKS endpoint
 * @param loadedAt when this was read from the database
 */
record RealmKeys(JWKSet signing, JWKSet published, String publishedJson, Instant loadedAt) {
}
