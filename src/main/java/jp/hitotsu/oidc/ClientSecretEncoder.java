package jp.hitotsu.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Hashes of client secrets. Secrets Hitotsu generates carry 256 random bits, so one
 * SHA-256 makes them unrecoverable from the database without the cost of a password hash
 * on every token request (a slow hash would cap client credentials at a few hundred
 * requests per second). Hashes made with Argon2 or bcrypt are still accepted, for
 * operators who register human-chosen secrets.
 */
public final class ClientSecretEncoder {

	static final String DEFAULT_ID = "sha256";

	private ClientSecretEncoder() {
	}

	/** The encoder of client secrets: {@code {sha256}} for new hashes, Argon2 and bcrypt still accepted. */
	public static PasswordEncoder create() {
		DelegatingPasswordEncoder encoder = new DelegatingPasswordEncoder(DEFAULT_ID,
				Map.of(DEFAULT_ID, new Sha256(), "argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
						"bcrypt", new BCryptPasswordEncoder()));
		return encoder;
	}

	/** SHA-256 of the secret, base64url; compared in constant time. */
	private static final class Sha256 implements PasswordEncoder {

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
