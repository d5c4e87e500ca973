package jp.hitotsu.federation;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An upstream's claims lose anything that is, or looks like, a My Number before they are read. */
class MyNumberClaimsTests {

	@Test
	void stripWhenNamedOrTwelveDigitsThenDroppedAtAnyDepth() {
		Map<String, Object> kept = MyNumberClaims.strip(Map.of("my_number", "x", "Individual-Number", "y",
				"note", "1234 5678 9012", "digits", 123456789012L, "address", Map.of("extra", "123456789012",
						"locality", "千代田区"),
				"family_name", "番号", "birthdate", "1990-01-01", "phone", "09012345678"));

		assertThat(kept).containsOnlyKeys("address", "family_name", "birthdate", "phone");
		assertThat(kept.get("address")).isEqualTo(Map.of("locality", "千代田区"));
	}

	@Test
	void stripWhenElevenOrThirteenDigitsThenKept() {
		assertThat(MyNumberClaims.strip(Map.of("a", "12345678901", "b", "1234567890123")))
			.containsOnlyKeys("a", "b");
	}

}
