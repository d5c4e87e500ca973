package jp.hitotsu.federation;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Logins through upstream OpenID providers (brokering).
 *
 * @param allowedHosts the provider hosts a realm under the rule {@code no-outbound-calls}
 * (every realm of zone {@code mynumber}) may broker to; a realm file naming another does
 * not start
 * @param connectTimeout how long to wait for a provider to accept a connection
 * (discovery, keys, token, UserInfo)
 * @param readTimeout how long to wait for its answer
 * @param maxClockSkew the clock difference allowed when checking an ID token's times
 * @param loginTimeout how long a browser may take at the provider before the answer it
 * brings back is refused
 */
@Validated
@ConfigurationProperties("hitotsu.federation")
public record FederationProperties(@DefaultValue List<String> allowedHosts,
		@DefaultValue("5s") @NotNull Duration connectTimeout, @DefaultValue("10s") @NotNull Duration readTimeout,
		@DefaultValue("60s") @NotNull Duration maxClockSkew, @DefaultValue("10m") @NotNull Duration loginTimeout) {
}
