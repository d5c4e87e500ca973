package jp.hitotsu.oidc;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Housekeeping of stored grants.
 *
 * @param purgeInterval pause between two purges of expired grants and revocations
 * @param purgeBatchSize rows deleted per statement, so a purge never holds long locks
 * @param tokenCacheTtl how long at most the grant of an access token is kept in memory for
 * UserInfo and introspection; a revocation made in this process takes effect at once, one
 * made by another replica at the latest after this long
 * @param tokenCacheSize how many access tokens' grants are kept at most
 * @param cacheSize the grants kept deserialised in memory (for refreshes, code exchanges,
 * UserInfo and introspection), counted by their stored size; on the heap they take about
 * twice that
 */
@Validated
@ConfigurationProperties("hitotsu.grants")
public record GrantStorageProperties(@DefaultValue("5m") Duration purgeInterval,
		@DefaultValue("5000") @Min(100) @Max(100000) int purgeBatchSize,
		@DefaultValue("30s") Duration tokenCacheTtl, @DefaultValue("10000") @Min(0) int tokenCacheSize,
		@DefaultValue("8MB") DataSize cacheSize) {

	public GrantStorageProperties {
		if (cacheSize.isNegative()) {
			throw new IllegalArgumentException("hitotsu.grants.cache-size must not be negative: " + cacheSize);
		}
	}

}
