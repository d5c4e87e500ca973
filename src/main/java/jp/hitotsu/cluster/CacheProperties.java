package jp.hitotsu.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What replicas hold in memory and how they learn that another replica changed it.
 *
 * @param refresh how often realm settings and clients are read from the database again
 * even without a notification: the safety net for a notification that never arrived
 * @param reconnectMaxDelay the longest pause between two attempts to reopen the listening
 * connection after it broke (the pause starts at 200 ms and doubles)
 */
@Validated
@ConfigurationProperties("hitotsu.cache")
public record CacheProperties(@DefaultValue("30s") Duration refresh, @DefaultValue("10s") Duration reconnectMaxDelay) {
}
