package jp.hitotsu.provisioning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One-time activation codes of imported accounts (table {@code activation_code}). A code
 * is 20 characters of Crockford's base 32 (100 random bits), shown once to the importing
 * administrator and handed over out of band. Only its SHA-256 is stored: a random 100-bit
 * secret needs no slow hash. A code works once, until it expires, and is void after
 * {@code hitotsu.bundles.activation-attempts} wrong tries.
 */
@Component
class ActivationCodes {

	/** Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not mistaken. */
	private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

	private static final int LENGTH = 20;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final BundleProperties properties;

	ActivationCodes(JdbcClient jdbc, BundleProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/** A new code for the account (any earlier one stops working), in groups of four. */
	Issued issue(String realm, UUID account, Instant now) {
		StringBuilder code = new StringBuilder();
		for (int index = 0; index < LENGTH; index++) {
			if (index > 0 && index % 4 == 0) {
				code.append('-');
			}
			code.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
		}
		Instant expires = now.plus(this.properties.activationCodeLifetime());
		this.jdbc.sql("""
				insert into activation_code (account_id, realm, code_hash, created_at, expires_at)
				values (:account, :realm, :hash, :now, :expires)
				on conflict (account_id) do update set code_hash = excluded.code_hash, created_at = excluded.created_at,
				  expires_at = excluded.expires_at, failures = 0
				""")
			.param("account", account)
			.param("realm", realm)
			.param("hash", hash(code.toString()))
			.param("now", Timestamp.from(now))
			.param("expires", Timestamp.from(expires))
			.update();
		return new Issued(code.toString(), expires);
	}

	/**
	 * Checks a code typed for an account, in the caller's transaction (the row is locked
	 * until it ends). A wrong code counts against the code; the last allowed wrong one
	 * voids it. A right code stays until {@link #spend}.
	 */
	Check check(UUID account, String typed, Instant now) {
		var stored = this.jdbc
			.sql("select code_hash, expires_at, failures from activation_code where account_id = :account for update")
			.param("account", account)
			.query((rs, row) -> new Stored(rs.getBytes("code_hash"), rs.getTimestamp("expires_at").toInstant(),
					rs.getInt("failures")))
			.optional();
		if (stored.isEmpty()) {
			return Check.NONE;
		}
		if (!stored.get().expiresAt().isAfter(now)) {
			spend(account);
			return Check.EXPIRED;
		}
		if (MessageDigest.isEqual(stored.get().hash(), hash(typed))) {
			return Check.ACCEPTED;
		}
		if (stored.get().failures() + 1 >= this.properties.activationAttempts()) {
			spend(account);
			return Check.VOIDED;
		}
		this.jdbc.sql("update activation_code set failures = failures + 1 where account_id = :account")
			.param("account", account)
			.update();
		return Check.WRONG;
	}

	void spend(UUID account) {
		this.jdbc.sql("delete from activation_code where account_id = :account").param("account", account).update();
	}

	/** Records that the account that came in a bundle was activated: no new code for it. */
	void activated(UUID account, Instant now) {
		this.jdbc.sql("update bundle_account set activated_at = :now where account_id = :account")
			.param("account", account)
			.param("now", Timestamp.from(now))
			.update();
	}

	/** Whether the account came in a bundle, is enabled and was never activated. */
	boolean awaitsActivation(String realm, UUID account) {
		return this.jdbc.sql("""
				select exists (select 1 from bundle_account b join account a on a.id = b.account_id
				  where b.account_id = :account and b.realm = :realm and b.activated_at is null and a.enabled)
				""").param("account", account).param("realm", realm).query(Boolean.class).single();
	}

	/** Codes are compared without regard to case, dashes or spaces, as people type them. */
	private static byte[] hash(String code) {
		String canonical = code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
		try {
			return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A code to hand over, and when it stops working. */
	record Issued(String code, Instant expiresAt) {
	}

	/** What a typed code turned out to be. */
	enum Check {

		ACCEPTED, WRONG,
		/** Wrong, and the last try allowed: the code is gone. */
		VOIDED, EXPIRED,
		/** The account has no code (never had, used, or voided). */
		NONE

	}

	private record Stored(byte[] hash, Instant expiresAt, int failures) {
	}

}
