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
 * The single-use links sent by mail in every realm (table {@code password_reset_link}): to
 * set a forgotten password, or to prove an address at sign-up. A link carries 256 random
 * bits; only their SHA-256 is stored, so the table alone opens nothing. A random 256-bit
 * secret needs no slow hash: nobody can guess it from its digest. A link works only for
 * its purpose.
 */
@Component
public class EmailLinks {

	/** What a link is for; stored by value. */
	public enum Purpose {

		PASSWORD_RESET("password-reset"), EMAIL_VERIFICATION("email-verification"),
		/** Proves a new address: the link carries it ({@link #issueEmailChange}). */
		EMAIL_CHANGE("email-change");

		private final String value;

		Purpose(String value) {
			this.value = value;
		}

	}

	/** 32 bytes in base64url, without padding. */
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	EmailLinks(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Issues a link for the account and answers its token, the part that goes in the mail. */
	public String issue(Purpose purpose, String realm, UUID account, Instant now, Duration lifetime) {
		return issue(purpose, realm, account, now, lifetime, null);
	}

	/**
	 * Issues a link that proves the new address it is sent to; opened, it answers that
	 * address ({@link #usableEmailChange}).
	 */
	public String issueEmailChange(String realm, UUID account, String newEmail, Instant now, Duration lifetime) {
		return issue(Purpose.EMAIL_CHANGE, realm, account, now, lifetime, newEmail);
	}

	private String issue(Purpose purpose, String realm, UUID account, Instant now, Duration lifetime,
			String newEmail) {
		// the account's spent links have no use left
		this.jdbc.sql("""
				delete from password_reset_link
				where account_id = :account and purpose = :purpose and (used_at is not null or expires_at < :now)
				""")
			.param("account", account)
			.param("purpose", purpose.value)
			.param("now", Timestamp.from(now))
			.update();
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		this.jdbc.sql("""
				insert into password_reset_link (token_hash, realm, account_id, created_at, expires_at, purpose, new_email)
				values (:hash, :realm, :account, :now, :expires, :purpose, :newEmail)
				""")
			.param("hash", hash(token))
			.param("realm", realm)
			.param("account", account)
			.param("now", Timestamp.from(now))
			.param("expires", Timestamp.from(now.plus(lifetime)))
			.param("purpose", purpose.value)
			.param("newEmail", newEmail)
			.update();
		return token;
	}

	/**
	 * Holds the account's links for the rest of the transaction, so that two requests for
	 * one account, handled at once, see each other's link (a PostgreSQL advisory lock).
	 */
	public void lock(UUID account) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:account, 0))")
			.param("account", account.toString())
			.query((rs, row) -> row)
			.single();
	}

	/** Whether a link of that purpose was issued for the account after that instant and is still unused. */
	public boolean issuedSince(Purpose purpose, UUID account, Instant since) {
		return this.jdbc.sql("""
				select exists (select 1 from password_reset_link
				  where account_id = :account and purpose = :purpose and created_at > :since and used_at is null)
				""")
			.param("account", account)
			.param("purpose", purpose.value)
			.param("since", Timestamp.from(since))
			.query(Boolean.class)
			.single();
	}

	/**
	 * The account a link of this realm and purpose still works for: unused, unexpired.
	 * Inside a transaction the link's row stays locked until it ends, so two requests
	 * cannot both use it.
	 */
	public Optional<UUID> usableAccount(Purpose purpose, String realm, String token, Instant now) {
		return usable(purpose, realm, token, now).map(EmailChange::account);
	}

	/**
	 * The account and the new address of a usable e-mail change link, locked as
	 * {@link #usableAccount} locks it.
	 */
	public Optional<EmailChange> usableEmailChange(String realm, String token, Instant now) {
		return usable(Purpose.EMAIL_CHANGE, realm, token, now);
	}

	private Optional<EmailChange> usable(Purpose purpose, String realm, String token, Instant now) {
		if (token == null || !TOKEN.matcher(token).matches()) {
			return Optional.empty();
		}
		return this.jdbc.sql("""
				select account_id, new_email from password_reset_link
				where token_hash = :hash and realm = :realm and purpose = :purpose and used_at is null
				  and expires_at > :now
				for update
				""")
			.param("hash", hash(token))
			.param("realm", realm)
			.param("purpose", purpose.value)
			.param("now", Timestamp.from(now))
			.query((rs, row) -> new EmailChange(rs.getObject("account_id", UUID.class), rs.getString("new_email")))
			.optional();
	}

	/** An asked change of an account's address, to {@code newEmail} (null for links of other purposes). */
	public record EmailChange(UUID account, String newEmail) {
	}

	/** Spends every link of that purpose of the account: the one used and any other still in a mailbox. */
	public void spendAll(Purpose purpose, UUID account, Instant now) {
		this.jdbc.sql("""
				update password_reset_link set used_at = :now
				where account_id = :account and purpose = :purpose and used_at is null
				""")
			.param("now", Timestamp.from(now))
			.param("account", account)
			.param("purpose", purpose.value)
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
