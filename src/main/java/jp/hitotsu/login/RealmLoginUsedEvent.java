package jp.hitotsu.login;

import java.time.Instant;

/**
 * A realm login was used again, as its idle timeout counts it (published at most every
 * half minute per browser session), so that features that end idle sessions agree with it.
 */
public record RealmLoginUsedEvent(RealmPrincipal principal, Instant at) {
}
