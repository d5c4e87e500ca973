package jp.hitotsu.account;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Argon2id parameters for account passwords. The defaults are Keycloak 26's, so a login
 * costs the same on both servers. Hashes made with weaker parameters are upgraded at the
 * next successful login.
 *
 * @param iterations passes over memory
 * @param memoryKib memory per hash in KiB
 * @param parallelism lanes
 * @param saltLength salt bytes
 * @param hashLength output bytes
 * @param threads hashes computed at once; more logins wait their turn. 0: one per
 * processor. Bounds the memory of a login storm ({@code threads × memoryKib}) and keeps
 * the hashes on platform threads, where virtual threads would only add scheduling cost
 */
@Validated
@ConfigurationProperties("hitotsu.password-hashing")
public record PasswordHashingProperties(@DefaultValue("5") @Min(1) @Max(100) int iterations,
		@DefaultValue("7168") @Min(1024) @Max(4194304) int memoryKib, @DefaultValue("1") @Min(1) @Max(64) int parallelism,
		@DefaultValue("16") @Min(16) @Max(64) int saltLength, @DefaultValue("32") @Min(16) @Max(128) int hashLength,
		@DefaultValue("0") @Min(0) @Max(1024) int threads) {

	/** The number of hashing threads, with 0 resolved to the processors of this machine. */
	int effectiveThreads() {
		return (this.threads > 0) ? this.threads : Runtime.getRuntime().availableProcessors();
	}

}
