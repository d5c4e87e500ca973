package jp.hitotsu.bench;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import jp.hitotsu.oidc.ClientSecretEncoder;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * One client-secret check on the token endpoint, with the server's own encoder. The secret
 * is a generated one: 256 random bits, base64url.
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
		this.encoder = ClientSecretEncoder.create();
		this.stored = this.encoder.encode(this.secret);
		if (!this.stored.startsWith("{sha256}") || !this.encoder.matches(this.secret, this.stored)) {
			throw new IllegalStateException("Unexpected client secret hash " + this.stored);
		}
	}

	@Benchmark
	public boolean sha256Matches() {
		return this.encoder.matches(this.secret, this.stored);
	}

}
