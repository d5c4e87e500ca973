package jp.hitotsu.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jp.hitotsu.account.PooledArgon2PasswordEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * One Argon2id hash of an account password, as {@code PasswordHashing} makes and checks it:
 * {@link PooledArgon2PasswordEncoder} (BouncyCastle underneath, its memory kept by the
 * thread) behind a {@link DelegatingPasswordEncoder}, at the defaults of
 * {@code PasswordHashingProperties}, which are Keycloak 26's (5 iterations, 7168 KiB, 1
 * lane, 16-byte salt, 32-byte hash). A login checks one hash ({@link #matches}), so on
 * {@code n} cores logins per second cannot exceed {@code n / matches}.
 * {@link #matchesWithFreshMemory} is Spring Security's {@link Argon2PasswordEncoder}, which
 * allocates the 7 MiB anew for every hash: about as fast here, where the heap is large, and
 * a burden for the collector in a small one (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Argon2Benchmark {

	static final int SALT_LENGTH = 16;

	static final int HASH_LENGTH = 32;

	static final int PARALLELISM = 1;

	static final int MEMORY_KIB = 7168;

	static final int ITERATIONS = 5;

	private static final String PASSWORD = "tanaka-demo-pass";

	private PasswordEncoder encoder;

	private PasswordEncoder freshMemory;

	private String hash;

	@Setup
	public void setUp() {
		this.encoder = new DelegatingPasswordEncoder("argon2", Map.of("argon2",
				new PooledArgon2PasswordEncoder(SALT_LENGTH, HASH_LENGTH, PARALLELISM, MEMORY_KIB, ITERATIONS)));
		this.freshMemory = new DelegatingPasswordEncoder("argon2", Map.of("argon2",
				new Argon2PasswordEncoder(SALT_LENGTH, HASH_LENGTH, PARALLELISM, MEMORY_KIB, ITERATIONS)));
		this.hash = this.encoder.encode(PASSWORD);
		if (!this.hash.startsWith("{argon2}$argon2id$v=19$m=7168,t=5,p=1$")
				|| !this.encoder.matches(PASSWORD, this.hash)) {
			throw new IllegalStateException("Unexpected Argon2 hash " + this.hash);
		}
	}

	/** Hashing a new password (registration, password change, upgrade at login). */
	@Benchmark
	public String encode() {
		return this.encoder.encode(PASSWORD);
	}

	/** Checking a password at login: the cost of every login. */
	@Benchmark
	public boolean matches() {
		return this.encoder.matches(PASSWORD, this.hash);
	}

	/** The same check with Spring Security's encoder, which allocates its memory per hash. */
	@Benchmark
	public boolean matchesWithFreshMemory() {
		return this.freshMemory.matches(PASSWORD, this.hash);
	}

}
