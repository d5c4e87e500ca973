package jp.hitotsu.login;

import java.time.Instant;

/**
 * A browser completed a login (or a step-up) to a realm. Published in the login request, so
 * that features listing sessions learn when and from which device it started.
 *
 * @param userAgent the browser's {@code User-Agent}, {@code null} when it sent none
 */
public record RealmLoginEvent(RealmPrincipal principal, Instant authTime, String userAgent, String ipAddress) {
}
