package jp.hitotsu.console;

import java.net.URI;
import java.time.ZoneId;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The admin console at {@code /admin}: a client of the admin realm (set by
 * {@code hitotsu.admin.realm}) that logs administrators in there and calls the admin API
 * with their access token.
 *
 * @param enabled whether {@code /admin} serves the console (the admin API does not depend
 * on it)
 * @param clientId the admin realm's client the console logs in through: a public client
 * with the redirect URI {@code {base}/admin/callback}, listed in {@code hitotsu.admin.clients}
 * @param serverUrl where the console reaches this server's token endpoint, keys and admin
 * API; absent: this process on loopback ({@code http://127.0.0.1:{server.port}}), which
 * needs no route out of the pod and no way through the ingress
 * @param timeZone the zone in which the console shows dates and times
 */
@Validated
@ConfigurationProperties("hitotsu.admin.console")
public record ConsoleProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("admin-console") @NotBlank String clientId, URI serverUrl,
		@DefaultValue("Asia/Tokyo") @NotNull ZoneId timeZone) {
}
