package jp.hitotsu.account;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

/**
 * RFC 6238 codes as authenticator apps make them: 30-second steps, HMAC-SHA-1, 6 digits
 * by default. A code is accepted for the current step and one step either side, for clock
 * drift.
 */
final class TotpCodes {

	static final Duration STEP = Duration.ofSeconds(30);

	/** Steps either side of now that still match. */
	static final int DRIFT_STEPS = 1;

	private final TimeBasedOneTimePasswordGenerator generator;

	private final int digits;

	TotpCodes(int digits) {
		this.generator = new TimeBasedOneTimePasswordGenerator(STEP, digits,
				TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
		this.digits = digits;
	}

	/** The code of the step that contains {@code time}, zero-padded. */
	String codeAt(byte[] secret, Instant time) {
		try {
			int code = this.generator.generateOneTimePassword(new SecretKeySpec(secret, "HmacSHA1"), time);
			return String.format("%0" + this.digits + "d", code);
		}
		catch (InvalidKeyException ex) {
			throw new IllegalStateException("A TOTP secret is not a valid HMAC key", ex);
		}
	}

	/** Whether a string is shaped like a code at all (digits, right length). */
	boolean wellFormed(String code) {
		return code != null && code.length() == this.digits && code.chars().allMatch((c) -> c >= '0' && c <= '9');
	}

	/**
	 * The step a code belongs to, searching now and the drift window; empty when it
	 * matches none.
	 */
	OptionalLong matchingStep(byte[] secret, String code, Instant now) {
		long current = step(now);
		for (long step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
			String expected = codeAt(secret, Instant.ofEpochSecond(step * STEP.toSeconds()));
			// constant time: the comparison must not tell how many leading digits matched
			if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
					code.getBytes(StandardCharsets.US_ASCII))) {
				return OptionalLong.of(step);
			}
		}
		return OptionalLong.empty();
	}

	static long step(Instant time) {
		return time.getEpochSecond() / STEP.toSeconds();
	}

}
