package jp.hitotsu.account;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6238 codes and the drift window. */
class TotpCodesTests {

	/** The SHA-1 seed of RFC 6238, appendix B. */
	private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

	@ParameterizedTest
	@CsvSource({ "59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
			"2000000000, 69279037", "20000000000, 65353130" })
	void codesMatchRfc6238TestVectors(long time, String expected) {
		assertThat(new TotpCodes(8).codeAt(RFC_SEED, Instant.ofEpochSecond(time))).isEqualTo(expected);
	}

	@Test
	void sixDigitCodesAreTheLastSixDigits() {
		assertThat(new TotpCodes(6).codeAt(RFC_SEED, Instant.ofEpochSecond(59))).isEqualTo("287082");
	}

	@Test
	void aCodeMatchesOneStepEitherSideButNotTwo() {
		TotpCodes codes = new TotpCodes(6);
		Instant now = Instant.ofEpochSecond(1_700_000_000L);
		long step = TotpCodes.step(now);
		String previous = codes.codeAt(RFC_SEED, now.minusSeconds(30));
		String next = codes.codeAt(RFC_SEED, now.plusSeconds(30));
		String tooOld = codes.codeAt(RFC_SEED, now.minusSeconds(60));
		assertThat(codes.matchingStep(RFC_SEED, codes.codeAt(RFC_SEED, now), now)).hasValue(step);
		assertThat(codes.matchingStep(RFC_SEED, previous, now)).hasValue(step - 1);
		assertThat(codes.matchingStep(RFC_SEED, next, now)).hasValue(step + 1);
		assertThat(codes.matchingStep(RFC_SEED, tooOld, now)).isEmpty();
	}

	@Test
	void malformedCodesAreRecognised() {
		TotpCodes codes = new TotpCodes(6);
		assertThat(codes.wellFormed("123456")).isTrue();
		assertThat(codes.wellFormed("12345")).isFalse();
		assertThat(codes.wellFormed("12345a")).isFalse();
		assertThat(codes.wellFormed("１２３４５６")).isFalse();
		assertThat(codes.wellFormed(null)).isFalse();
	}

}
