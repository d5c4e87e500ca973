package jp.hitotsu.audit;

import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonical forms of a link: v1 as it always was, v2 with the personal fields behind a digest. */
class AuditLinkTests {

	private static final Instant AT = Instant.parse("2026-11-27T01:02:03.123456Z");

	private static final byte[] PREVIOUS = new byte[32];

	private static AuditLink event(int version, byte[] salt, byte[] digest) {
		return new AuditLink(42L, AT, "citizen", "LOGIN", "success", "0b0f6d2e-4c1a-4f7e-9a55-3f1b2c3d4e5f", "yamada",
				"portal", "192.0.2.1", "Mozilla/5.0", "sid-1", "{\"method\": \"password\"}", 7L, null, version, salt,
				digest);
	}

	/** What the code before form v2 computed for this event (rows it sealed must still verify). */
	@Test
	void hashAtWhenSealedUnderV1ThenSameHashAsBefore() {
		assertThat(HexFormat.of().formatHex(event(1, null, null).hashAt(7, PREVIOUS)))
			.isEqualTo("24f13d44863e6167e3ee47ee9cf07fcef9df07b3bd547e911aa01d6500d2d07a");
	}

	@Test
	void hashAtWhenPersonalFieldsErasedAfterSealingThenSameHashAndReportedErased() {
		AuditLink sealed = event(1, null, null).toBeSealed();
		assertThat(sealed.version()).isEqualTo(2);
		assertThat(sealed.personalFieldsMatch()).isTrue();
		assertThat(sealed.personalDataErased()).isFalse();
		byte[] hash = sealed.hashAt(7, PREVIOUS);

		AuditLink erased = new AuditLink(42L, AT, "citizen", "LOGIN", "success", "pseudonym:abc", null, "portal", null,
				null, null, AuditLink.ERASED_DETAILS, 7L, hash, 2, null, sealed.personalDigest());
		assertThat(erased.personalDataErased()).isTrue();
		assertThat(erased.personalFieldsMatch()).isTrue();
		assertThat(erased.hashAt(7, PREVIOUS)).isEqualTo(hash);
	}

	@Test
	void hashAtWhenV2EventChangedThenDifferentHashOrPersonalFieldsDoNotMatch() {
		AuditLink sealed = event(1, null, null).toBeSealed();
		byte[] hash = sealed.hashAt(7, PREVIOUS);
		AuditLink otherType = new AuditLink(42L, AT, "citizen", "LOGIN_FAILED", "success", sealed.subject(),
				sealed.username(), "portal", sealed.ipAddress(), sealed.userAgent(), sealed.sessionId(),
				sealed.details(), 7L, hash, 2, sealed.salt(), sealed.personalDigest());
		assertThat(otherType.hashAt(7, PREVIOUS)).isNotEqualTo(hash);
		AuditLink otherTime = new AuditLink(42L, AT.plusSeconds(1), "citizen", "LOGIN", "success", sealed.subject(),
				sealed.username(), "portal", sealed.ipAddress(), sealed.userAgent(), sealed.sessionId(),
				sealed.details(), 7L, hash, 2, sealed.salt(), sealed.personalDigest());
		assertThat(otherTime.hashAt(7, PREVIOUS)).isNotEqualTo(hash);
		AuditLink otherDigest = new AuditLink(42L, AT, "citizen", "LOGIN", "success", "pseudonym:abc", null, "portal",
				null, null, null, AuditLink.ERASED_DETAILS, 7L, hash, 2, null, new byte[32]);
		assertThat(otherDigest.hashAt(7, PREVIOUS)).isNotEqualTo(hash);
		AuditLink otherAddress = new AuditLink(42L, AT, "citizen", "LOGIN", "success", sealed.subject(),
				sealed.username(), "portal", "198.51.100.7", sealed.userAgent(), sealed.sessionId(), sealed.details(),
				7L, hash, 2, sealed.salt(), sealed.personalDigest());
		assertThat(otherAddress.personalFieldsMatch()).isFalse();
		AuditLink saltRemovedOnly = new AuditLink(42L, AT, "citizen", "LOGIN", "success", sealed.subject(),
				sealed.username(), "portal", sealed.ipAddress(), sealed.userAgent(), sealed.sessionId(),
				"{\"method\": \"passkey\"}", 7L, hash, 2, null, sealed.personalDigest());
		assertThat(saltRemovedOnly.personalDataErased()).as("not what a deletion leaves").isFalse();
		assertThat(saltRemovedOnly.personalFieldsMatch()).isFalse();
	}

}
