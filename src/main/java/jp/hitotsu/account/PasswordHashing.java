package jp.hitotsu.account;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
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

	/** A hash no password matches, checked for unknown users so they take as long as known ones. */
	private final String decoyHash;

	PasswordHashing(PasswordHashingProperties properties) {
		Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(properties.saltLength(), properties.hashLength(),
				properties.parallelism(), properties.memoryKib(), properties.iterations());
		this.encoder = new DelegatingPasswordEncoder("argon2", Map.of("argon2", argon2, "bcrypt",
				new BCryptPasswordEncoder(), "pbkdf2@SpringSecurity_v5_8",
				Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		this.decoyHash = this.encoder.encode(Base64.getEncoder().encodeToString(random));
	}

	String hash(CharSequence password) {
		return this.encoder.encode(PasswordRules.normalize(password));
	}

	boolean matches(CharSequence password, String hash) {
		if (hash == null) {
			spendDecoyCheck(password);
			return false;
		}
		return this.encoder.matches(PasswordRules.normalize(password), hash);
	}

	/** Spends the time of one check, for a username that does not exist. */
	void spendDecoyCheck(CharSequence password) {
		this.encoder.matches(PasswordRules.normalize(password), this.decoyHash);
	}

	boolean needsUpgrade(String hash) {
		return this.encoder.upgradeEncoding(hash);
	}

}
