package jp.hitotsu.account;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Hashes and checks account passwords with Argon2id. Stored hashes carry their algorithm
 * ({@code {argon2}...}) so that a later change of algorithm or parameters can verify old
 * hashes and upgrade them. Hashes brought over from older systems (bcrypt, PBKDF2) are
 * verified too, and replaced by Argon2id at the account's next successful login, as are
 * Argon2id hashes of weaker parameters. What is hashed is the password's NFKC form, so a
 * password typed in full-width or half-width characters is the same password.
 */
@Component
class PasswordHashing {

	private final PasswordEncoder encoder;

	private final ExecutorService hashers;

	/**
	 * A hash no password matches, checked for unknown users so they take as long as known
	 * ones. Made on a hashing thread while the server starts, so that the start does not wait
	 * for it.
	 */
	private final Future<String> decoyHash;

	PasswordHashing(PasswordHashingProperties properties) {
		PooledArgon2PasswordEncoder argon2 = new PooledArgon2PasswordEncoder(properties.saltLength(),
				properties.hashLength(), properties.parallelism(), properties.memoryKib(), properties.iterations());
		this.encoder = new DelegatingPasswordEncoder("argon2", Map.of("argon2", argon2, "bcrypt",
				new BCryptPasswordEncoder(), "pbkdf2@SpringSecurity_v5_8",
				Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
		AtomicInteger counter = new AtomicInteger();
		this.hashers = Executors.newFixedThreadPool(properties.effectiveThreads(), (task) -> {
			Thread thread = new Thread(task, "password-hashing-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String decoyPassword = Base64.getEncoder().encodeToString(random);
		this.decoyHash = this.hashers.submit(() -> this.encoder.encode(decoyPassword));
	}

	String hash(CharSequence password) {
		String normalized = PasswordRules.normalize(password);
		return onHashingThread(() -> this.encoder.encode(normalized));
	}

	boolean matches(CharSequence password, String hash) {
		if (hash == null) {
			spendDecoyCheck(password);
			return false;
		}
		String normalized = PasswordRules.normalize(password);
		return onHashingThread(() -> this.encoder.matches(normalized, hash));
	}

	/** Spends the time of one check, for a username that does not exist. */
	void spendDecoyCheck(CharSequence password) {
		String normalized = PasswordRules.normalize(password);
		String decoy = await(this.decoyHash);
		onHashingThread(() -> this.encoder.matches(normalized, decoy));
	}

	/**
	 * Runs a hash on one of the few hashing threads and waits for it: at most that many
	 * hashes (7 MiB each at Keycloak's parameters) are in memory at once, however many
	 * logins arrive together, and each thread reuses its hash memory (see
	 * {@link PooledArgon2PasswordEncoder}).
	 */
	private <T> T onHashingThread(Callable<T> work) {
		Future<T> result = this.hashers.submit(work);
		try {
			return await(result);
		}
		finally {
			result.cancel(true); // no-op once done; frees the thread when the waiter was interrupted
		}
	}

	/** Waits for a hash; a shared one (the decoy) is left running when this waiter is interrupted. */
	private static <T> T await(Future<T> result) {
		try {
			return result.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a password hash", ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("A password hash failed", ex.getCause());
		}
	}

	@PreDestroy
	void stop() {
		this.hashers.shutdownNow();
	}

	boolean needsUpgrade(String hash) {
		return this.encoder.upgradeEncoding(hash);
	}

}
