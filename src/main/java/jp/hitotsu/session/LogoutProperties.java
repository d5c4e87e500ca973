package jp.hitotsu.session;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Back-channel logout: how logout tokens are queued and sent, and where they may go.
 *
 * @param queueLimit logout tokens waiting at most (all realms, all replicas); a logout that
 * finds the queue full is not queued, and the client not told (audited as {@code dropped})
 * @param maxAttempts attempts per logout token before it is given up ({@code failed})
 * @param firstRetry pause before the second attempt; it doubles at each attempt
 * @param maxRetry the longest pause between two attempts
 * @param connectTimeout how long to wait for a client's server to accept the connection
 * @param requestTimeout how long to wait for its answer
 * @param sendInterval pause between two rounds of sending
 * @param batchSize logout tokens one replica takes per round
 * @param expiryInterval pause between two searches for login sessions past their realm's
 * lifetime or idle timeout (which end them, as a logout)
 * @param tokenLifetime how long a logout token is valid ({@code exp})
 * @param allowedHosts the hosts a realm under the rule {@code no-outbound-calls} (every
 * realm of zone {@code mynumber}) may send logout tokens to; nothing else is ever called
 */
@Validated
@ConfigurationProperties("hitotsu.logout")
public record LogoutProperties(@DefaultValue("100000") @Min(1) int queueLimit,
		@DefaultValue("8") @Min(1) @Max(50) int maxAttempts, @DefaultValue("10s") @NotNull Duration firstRetry,
		@DefaultValue("15m") @NotNull Duration maxRetry, @DefaultValue("2s") @NotNull Duration connectTimeout,
		@DefaultValue("5s") @NotNull Duration requestTimeout, @DefaultValue("1s") @NotNull Duration sendInterval,
		@DefaultValue("20") @Min(1) @Max(1000) int batchSize, @DefaultValue("1m") @NotNull Duration expiryInterval,
		@DefaultValue("2m") @NotNull Duration tokenLifetime, @DefaultValue List<String> allowedHosts) {

	/** The pause after a failed attempt (the first is 1): doubling, at most {@code maxRetry}. */
	Duration retryAfter(int attempt) {
		Duration pause = this.firstRetry.multipliedBy(1L << Math.min(attempt - 1, 20));
		return (pause.compareTo(this.maxRetry) > 0) ? this.maxRetry : pause;
	}

	/**
	 * How long a replica holds the logout tokens it took: a whole round sent one by one to
	 * servers that answer at the last moment, and a margin. A replica that dies while
	 * sending leaves them to another after this long.
	 */
	Duration lease() {
		return this.connectTimeout.plus(this.requestTimeout).multipliedBy(this.batchSize).plusSeconds(30);
	}

}
