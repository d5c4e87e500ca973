package jp.hitotsu.keys;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Signing keys and the master key that protects them at rest.
 *
 * @param masterKey the master key, 32 bytes in base64 (set it through the environment
 * variable {@code HITOTSU_KEYS_MASTER_KEY}, never in a file beside the data)
 * @param masterKeyFile a file holding the master key in base64; used when
 * {@code master-key} is empty
 * @param retiredKeyRetention how long a retired key stays in the JWKS after rotation, so
 * that tokens it signed keep verifying until they expire; keep it longer than the longest
 * token lifetime
 * @param cacheRefresh how often a server re-reads the keys from the database even without
 * being told of a change: the safety net for a lost notification
 * @param activationDelay how long a rotated key is only published (in every replica's JWKS)
 * before it signs; keep it longer than {@code cache-refresh} (a replica that missed the
 * notification sees the key by then), the JWKS's {@code max-age} (60 s, for relying
 * parties and proxies that cache it) and the clock skew between replicas
 */
@Validated
@ConfigurationProperties("hitotsu.keys")
public record KeyProperties(String masterKey, Path masterKeyFile,
		@DefaultValue("1d") Duration retiredKeyRetention, @DefaultValue("30s") Duration cacheRefresh,
		@DefaultValue("2m") Duration activationDelay) {
}
