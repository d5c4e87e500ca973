package jp.hitotsu.account;

import java.time.Instant;
import java.util.UUID;

/**
 * An account as provisioning and administration see it: never its credentials.
 *
 * @param version raised by every change made through {@link AccountProvisioning}; the
 * SCIM ETag
 * @param employeeNumber the directory's employee number, or {@code null}
 */
public record AccountRecord(UUID id, String realm, String username, String externalId, String email,
		boolean emailVerified, String givenName, String familyName, String displayName, boolean enabled,
		Instant created, Instant updated, long version, String employeeNumber) {

}
