package jp.hitotsu.recovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The password-reset links of every realm (table {@code password_reset_link}). A link
 * carries 256 random bits; only their SHA-256 is stored, so the table alone opens
 * nothing. A random 256-bit secret needs no slow hash: nobody can guess it from its digest.
 */
@Component
class PasswordResetLinks {

	/** 32 bytes in base64url, without padding. */
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	PasswordResetLinks(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Issues a link for the account and answers its token, the part that goes in the mail. */
	String issue(String realm, UUID account, Instant now, Duration lifetime) {
		// the account's spent links have no use left
		this.jdbc.sql("delete from password_reset_link where account_id = :account and (used_at is not null or expires_at < :now)")
			.param("account", account)
			.param("now", Timestamp.from(now))
			.update();
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		this.jdbc.sql("""
				insert into password_reset_link (token_hash, realm, account_id, created_at, expires_at)
				values (:hash, :realm, :account, :now, :expires)
				""")
			.param("hash", hash(token))
			.param("realm", realm)
			.param("account", account)
			.param("now", Timestamp.from(now))
			.param("expires", Timestamp.from(now.plus(lifetime)))
			.update();
		return token;
	}

	/**
	 * Holds the account's links for the rest of the transaction, so that two requests for
	 * one account, handled at once, see each other's link (a PostgreSQL advisory lock).
	 */
	void lock(UUID account) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:account, 0))")
			.param("account", account.toString())
			.query((rs, row) -> row)
			.single();
	}

	/** Whether a link was issued for the account after that instant and is still unused. */
	boolean issuedSince(UUID account, Instant since) {
		return this.jdbc
			.sql("select exists (select 1 from password_reset_link where account_id = :account and created_at > :since and used_at is null)")
			.param("account", account)
			.param("since", Timestamp.from(since))
			.query(Boolean.class)
			.single();
	}

	/**
	 * The account a link of this realm may still reset: unused, unexpired. Inside a
	 * transaction the link's row stays locked until it ends, so two requests cannot both
	 * use it.
	 */
	Optional<UUID> usableAccount(String realm, String token, Instant now) {
		if (token == null || !TOKEN.matcher(token).matches()) {
			return Optional.empty();
		}
		return this.jdbc.sql("""
				select account_id from password_reset_link
				where token_hash = :hash and realm = :realm and used_at is null and expires_at > :now
				for update
				""")
			.param("hash", hash(token))
			.param("realm", realm)
			.param("now", Timestamp.from(now))
			.query(UUID.class)
			.optional();
	}

	/** Spends every link of the account: the one used and any other still in a mailbox. */
	void spendAll(UUID account, Instant now) {
		this.jdbc.sql("update password_reset_link set used_at = :now where account_id = :account and used_at is null")
			.param("now", Timestamp.from(now))
			.param("account", account)
			.update();
	}

	private static byte[] hash(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from the JDK", ex);
		}
	}

}
