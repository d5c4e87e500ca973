package jp.hitotsu.account;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Housekeeping of brute-force defence (the limits themselves are realm settings, see
 * {@code brute-force} in the realm files).
 *
 * @param purgeInterval pause between two purges of counters that no longer mean anything
 * @param purgeBatchSize rows deleted per statement, so a purge never holds long locks
 */
@Validated
@ConfigurationProperties("hitotsu.login-throttle")
public record LoginThrottleProperties(@DefaultValue("5m") Duration purgeInterval,
		@DefaultValue("5000") @Min(100) @Max(100000) int purgeBatchSize) {
}
