package jp.hitotsu.cluster;

import java.time.Duration;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What replicas hold in memory and how they learn that another replica changed it.
 *
 * @param refresh how often realm settings, clients and the accounts that tokens name are
 * read from the database again even without a notification: the safety net for a
 * notification that never arrived
 * @param reconnectMaxDelay the longest pause between two attempts to reopen the listening
 * connection after it broke (the pause starts at 200 ms and doubles)
 * @param accountEntries how many accounts each replica keeps in memory for the token and
 * UserInfo endpoints (about 1 kB each); the least used make room
 */
@Validated
@ConfigurationProperties("hitotsu.cache")
public record CacheProperties(@DefaultValue("30s") Duration refresh, @DefaultValue("10s") Duration reconnectMaxDelay,
		@DefaultValue("10000") @Positive int accountEntries) {
}
