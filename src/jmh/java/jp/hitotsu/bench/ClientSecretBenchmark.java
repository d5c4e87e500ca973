package jp.hitotsu.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * One client-secret check on the token endpoint. The server's {@code ClientSecretEncoder} is
 * package-private; {@link Sha256} repeats its computation exactly (SHA-256 of the UTF-8
 * secret, base64url without padding, compared in constant time) behind the same
 * {@link DelegatingPasswordEncoder} prefix, {@code {sha256}}. The secret is a generated
 * one: 256 random bits, base64url.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClientSecretBenchmark {

	private PasswordEncoder encoder;

	private String secret;

	private String stored;

	@Setup
	public void setUp() {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		this.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		this.encoder = new DelegatingPasswordEncoder("sha256", Map.of("sha256", new Sha256()));
		this.stored = this.encoder.encode(this.secret);
		if (!this.stored.startsWith("{sha256}") || !this.encoder.matches(this.secret, this.stored)) {
			throw new IllegalStateException("Unexpected client secret hash " + this.stored);
		}
	}

	@Benchmark
	public boolean sha256Matches() {
		return this.encoder.matches(this.secret, this.stored);
	}

	/** The computation of {@code ClientSecretEncoder.Sha256}. */
	static final class Sha256 implements PasswordEncoder {

		@Override
		public String encode(CharSequence rawSecret) {
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest(rawSecret));
		}

		@Override
		public boolean matches(CharSequence rawSecret, String encoded) {
			if (rawSecret == null || encoded == null) {
				return false;
			}
			byte[] expected;
			try {
				expected = Base64.getUrlDecoder().decode(encoded);
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
			return MessageDigest.isEqual(expected, digest(rawSecret));
		}

		private static byte[] digest(CharSequence value) {
			try {
				return MessageDigest.getInstance("SHA-256").digest(value.toString().getBytes(StandardCharsets.UTF_8));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
