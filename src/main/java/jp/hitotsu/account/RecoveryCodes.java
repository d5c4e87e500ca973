package jp.hitotsu.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Single-use codes that stand in for the authenticator app when it is lost. They are
 * random (about 49 bits each), so a SHA-256 hash is enough to store them; a password hash
 * would only slow the login.
 */
@Service
public class RecoveryCodes {

	public static final int COUNT = 10;

	/** Lower-case letters and digits without the look-alikes (0/o, 1/l/i). */
	private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

	private static final int LENGTH = 10;

	private final SecureRandom random = new SecureRandom();

	private final JdbcClient jdbc;

	private final Clock clock;

	RecoveryCodes(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Issues a new set, replacing any earlier one; the codes are shown once, never again. */
	@Transactional
	public List<String> issue(UUID accountId) {
		this.jdbc.sql("delete from recovery_code where account_id = :id").param("id", accountId).update();
		List<String> codes = new ArrayList<>(COUNT);
		while (codes.size() < COUNT) {
			StringBuilder code = new StringBuilder(LENGTH + 1);
			for (int i = 0; i < LENGTH; i++) {
				if (i == LENGTH / 2) {
					code.append('-');
				}
				code.append(ALPHABET.charAt(this.random.nextInt(ALPHABET.length())));
			}
			String text = code.toString();
			if (!codes.contains(text)) {
				codes.add(text);
				this.jdbc.sql("insert into recovery_code (account_id, code_hash) values (:id, :hash)")
					.param("id", accountId)
					.param("hash", hash(text))
					.update();
			}
		}
		return codes;
	}

	/** Spends a code: true once per code, false for a used, unknown or malformed one. */
	public boolean use(UUID accountId, String code) {
		if (code == null || code.length() > 64) {
			return false;
		}
		return this.jdbc.sql("""
				update recovery_code set used_at = :now
				where account_id = :id and code_hash = :hash and used_at is null
				""")
			.param("now", Timestamp.from(this.clock.instant()))
			.param("id", accountId)
			.param("hash", hash(code))
			.update() == 1;
	}

	public int remaining(UUID accountId) {
		return this.jdbc.sql("select count(*) from recovery_code where account_id = :id and used_at is null")
			.param("id", accountId)
			.query(Integer.class)
			.single();
	}

	/** Hyphens, spaces and case are ignored, as people type codes from paper. */
	private static byte[] hash(String code) {
		String normalized = code.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
		try {
			return MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
