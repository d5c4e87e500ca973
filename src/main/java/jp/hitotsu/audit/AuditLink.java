package jp.hitotsu.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * One stored event as the chain sees it, and its hash: SHA-256 over the previous link's
 * hash followed by the canonical form of the event at its chain position (docs/audit.md).
 * The canonical form is fixed per version, and each row says which it was sealed under: a
 * version tag, then each field in a fixed order, numbers as big-endian integers, texts as
 * their UTF-8 length (-1 for none) and bytes. {@code details} is PostgreSQL's own text of
 * the {@code jsonb} value, which is the same for equal values.
 *
 * <p>
 * Form v1 (rows sealed before V112) holds every field itself. Form v2 holds the personal
 * fields (subject, username, address, user agent, session, details) only through their
 * digest, SHA-256 over a random salt and those fields, kept in the row: erasing them and the
 * salt, as an account's deletion does, leaves the link valid, and while the salt is there
 * the verifier checks the fields against the digest, so a change to them still shows.
 */
record AuditLink(long id, Instant occurredAt, String realm, String type, String outcome, String subject,
		String username, String clientId, String ipAddress, String userAgent, String sessionId, String details,
		Long position, byte[] hash, int version, byte[] salt, byte[] personalDigest) {

	/** The hash before the first link of a chain. */
	static final byte[] GENESIS = new byte[32];

	static final String VERSION = "hitotsu-audit-v1";

	static final String VERSION_2 = "hitotsu-audit-v2";

	private static final String PERSONAL = "hitotsu-audit-personal-v2";

	private static final int SALT_BYTES = 16;

	private static final SecureRandom RANDOM = new SecureRandom();

	/** What {@link AuditTrail#pseudonymise} leaves of the personal fields, besides the pseudonym. */
	static final String ERASED_DETAILS = "{\"pseudonymised\": true}";

	static final String PSEUDONYM_PREFIX = "pseudonym:";

	static final String COLUMNS = """
			id, occurred_at, realm, type, outcome, subject, username, client_id, ip_address, user_agent, session_id,
			details::text as details, chain_position, hash, chain_version, personal_salt, personal_digest""";

	static AuditLink read(ResultSet rs, int row) throws SQLException {
		long position = rs.getLong("chain_position");
		Long sealedAt = rs.wasNull() ? null : position;
		int version = rs.getInt("chain_version");
		boolean beforeVersions = rs.wasNull();
		return new AuditLink(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("realm"),
				rs.getString("type"), rs.getString("outcome"), rs.getString("subject"), rs.getString("username"),
				rs.getString("client_id"), rs.getString("ip_address"), rs.getString("user_agent"),
				rs.getString("session_id"), rs.getString("details"), sealedAt, rs.getBytes("hash"),
				beforeVersions ? 1 : version, rs.getBytes("personal_salt"), rs.getBytes("personal_digest"));
	}

	/** This event as the sealer chains it now: form v2, its personal fields digested with a new salt. */
	AuditLink toBeSealed() {
		byte[] newSalt = new byte[SALT_BYTES];
		RANDOM.nextBytes(newSalt);
		return new AuditLink(this.id, this.occurredAt, this.realm, this.type, this.outcome, this.subject,
				this.username, this.clientId, this.ipAddress, this.userAgent, this.sessionId, this.details,
				this.position, this.hash, 2, newSalt, digestOfPersonalFields(newSalt));
	}

	/**
	 * Whether the personal fields were erased after sealing, as an account's deletion does
	 * (form v2 only): no salt, a pseudonym, no username, address, user agent or session, and
	 * the details that say so. Anything else without its salt is a change.
	 */
	boolean personalDataErased() {
		return this.version == 2 && this.salt == null && this.subject != null
				&& this.subject.startsWith(PSEUDONYM_PREFIX) && this.username == null && this.ipAddress == null
				&& this.userAgent == null && this.sessionId == null && ERASED_DETAILS.equals(this.details);
	}

	/** Whether the personal fields are the ones sealed (form v1: part of the hash itself). */
	boolean personalFieldsMatch() {
		if (this.version == 1 || personalDataErased()) {
			return true;
		}
		return this.salt != null && this.personalDigest != null
				&& MessageDigest.isEqual(digestOfPersonalFields(this.salt), this.personalDigest);
	}

	/** The hash this event has at {@code position} after a link whose hash is {@code previous}. */
	byte[] hashAt(long position, byte[] previous) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			text(out, (this.version == 1) ? VERSION : VERSION_2);
			out.writeLong(position);
			out.writeLong(this.id);
			out.writeLong(this.occurredAt.getEpochSecond());
			out.writeInt(this.occurredAt.getNano());
			if (this.version == 1) {
				for (String field : new String[] { this.realm, this.type, this.outcome, this.subject, this.username,
						this.clientId, this.ipAddress, this.userAgent, this.sessionId, this.details }) {
					text(out, field);
				}
			}
			else {
				for (String field : new String[] { this.realm, this.type, this.outcome, this.clientId }) {
					text(out, field);
				}
				bytes(out, this.personalDigest);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		MessageDigest sha256 = sha256();
		sha256.update(previous);
		return sha256.digest(bytes.toByteArray());
	}

	/**
	 * The salt keeps the digest of erased fields from confirming a guess of them (a username,
	 * an address): it goes when they go.
	 */
	private byte[] digestOfPersonalFields(byte[] salt) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			text(out, PERSONAL);
			bytes(out, salt);
			for (String field : new String[] { this.subject, this.username, this.ipAddress, this.userAgent,
					this.sessionId, this.details }) {
				text(out, field);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return sha256().digest(bytes.toByteArray());
	}

	private static void text(DataOutputStream out, String value) throws IOException {
		bytes(out, (value != null) ? value.getBytes(StandardCharsets.UTF_8) : null);
	}

	private static void bytes(DataOutputStream out, byte[] value) throws IOException {
		if (value == null) {
			out.writeInt(-1);
			return;
		}
		out.writeInt(value.length);
		out.write(value);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
