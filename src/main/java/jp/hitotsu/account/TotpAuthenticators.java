package jp.hitotsu.account;

import java.io.Serial;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;

import jp.hitotsu.keys.SealedSecrets;
import org.bouncycastle.util.encoders.Base32;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Authenticator apps (RFC 6238) of accounts: enrolment, confirmation by a first code, and
 * verification that accepts each code once. The seed is stored sealed under the master
 * key; the browser sees it only during enrolment.
 */
@Service
public class TotpAuthenticators {

	/** 160-bit seeds, the HMAC-SHA-1 block RFC 4226 recommends. */
	private static final int SECRET_BYTES = 20;

	private final TotpCodes codes = new TotpCodes(6);

	private final SecureRandom random = new SecureRandom();

	private final JdbcClient jdbc;

	private final SealedSecrets sealedSecrets;

	private final Clock clock;

	TotpAuthenticators(JdbcClient jdbc, SealedSecrets sealedSecrets, Clock clock) {
		this.jdbc = jdbc;
		this.sealedSecrets = sealedSecrets;
		this.clock = clock;
	}

	/**
	 * A new seed for an enrolment. Nothing is stored until the first code confirms it: the
	 * caller keeps {@link TotpEnrolment#sealedSecret()} (in the login session) meanwhile.
	 * @param issuer what the app shows above the account, e.g. the realm's display name
	 */
	public TotpEnrolment newEnrolment(Identity account, String issuer) {
		byte[] secret = new byte[SECRET_BYTES];
		this.random.nextBytes(secret);
		String base32 = Base32.toBase32String(secret).replace("=", "");
		String label = encode(issuer) + ":" + encode(account.username());
		String uri = "otpauth://totp/" + label + "?secret=" + base32 + "&issuer=" + encode(issuer)
				+ "&algorithm=SHA1&digits=6&period=" + TotpCodes.STEP.toSeconds();
		return new TotpEnrolment(grouped(base32), uri,
				this.sealedSecrets.seal(base32, enrolmentOwner(account.id())));
	}

	/**
	 * Confirms an enrolment with a first code from the app; on success the authenticator
	 * replaces any earlier one of the account, and that code is spent.
	 */
	@Transactional
	public TotpCheck confirm(UUID accountId, String sealedSecret, String code) {
		if (!this.codes.wellFormed(code)) {
			return TotpCheck.MALFORMED;
		}
		String base32 = this.sealedSecrets.open(sealedSecret, enrolmentOwner(accountId));
		OptionalLong step = this.codes.matchingStep(Base32.decode(base32 + padding(base32)), code, this.clock.instant());
		if (step.isEmpty()) {
			return TotpCheck.WRONG;
		}
		this.jdbc.sql("""
				insert into totp_authenticator (account_id, sealed_secret, confirmed_at, last_used_step)
				values (:id, :secret, :now, :step)
				on conflict (account_id) do update
				  set sealed_secret = excluded.sealed_secret, confirmed_at = excluded.confirmed_at,
				      last_used_step = excluded.last_used_step, created_at = now()
				""")
			.param("id", accountId)
			.param("secret", this.sealedSecrets.seal(base32, owner(accountId)))
			.param("now", Timestamp.from(this.clock.instant()))
			.param("step", step.getAsLong())
			.update();
		return TotpCheck.ACCEPTED;
	}

	/**
	 * Checks a code at login. A code (or an earlier one) already used is refused, so a code
	 * seen over someone's shoulder is worthless once typed.
	 */
	public TotpCheck verify(UUID accountId, String code) {
		if (!this.codes.wellFormed(code)) {
			return TotpCheck.MALFORMED;
		}
		String sealed = this.jdbc.sql("select sealed_secret from totp_authenticator where account_id = :id")
			.param("id", accountId)
			.query(String.class)
			.optional()
			.orElse(null);
		if (sealed == null) {
			return TotpCheck.NOT_ENROLLED;
		}
		String base32 = this.sealedSecrets.open(sealed, owner(accountId));
		OptionalLong step = this.codes.matchingStep(Base32.decode(base32 + padding(base32)), code, this.clock.instant());
		if (step.isEmpty()) {
			return TotpCheck.WRONG;
		}
		// one statement: of two concurrent uses of a code, one wins
		int updated = this.jdbc
			.sql("update totp_authenticator set last_used_step = :step where account_id = :id and last_used_step < :step")
			.param("id", accountId)
			.param("step", step.getAsLong())
			.update();
		return (updated == 1) ? TotpCheck.ACCEPTED : TotpCheck.REPLAYED;
	}

	public boolean enrolled(UUID accountId) {
		return this.jdbc.sql("select exists (select 1 from totp_authenticator where account_id = :id)")
			.param("id", accountId)
			.query(Boolean.class)
			.single();
	}

	/** Removes the account's authenticator app and the recovery codes that stood in for it. */
	@Transactional
	public boolean remove(UUID accountId) {
		this.jdbc.sql("delete from recovery_code where account_id = :id").param("id", accountId).update();
		return this.jdbc.sql("delete from totp_authenticator where account_id = :id").param("id", accountId).update() > 0;
	}

	private static String owner(UUID accountId) {
		return "totp:" + accountId;
	}

	private static String enrolmentOwner(UUID accountId) {
		return "totp-enrolment:" + accountId;
	}

	private static String padding(String base32) {
		return "=".repeat((8 - base32.length() % 8) % 8);
	}

	/** Groups of four, easier to type into an app by hand. */
	private static String grouped(String base32) {
		return String.join(" ", base32.toLowerCase(Locale.ROOT).split("(?<=\\G.{4})"));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** A started enrolment: what the person needs, and the seed sealed for the session. */
	public record TotpEnrolment(String secretText, String otpauthUri, String sealedSecret) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

	/** The verdict on a code. */
	public enum TotpCheck {

		ACCEPTED, WRONG, REPLAYED, MALFORMED, NOT_ENROLLED;

	}

}
