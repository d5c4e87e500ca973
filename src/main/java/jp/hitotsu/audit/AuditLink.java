package jp.hitotsu.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * One stored event as the chain sees it, and its hash: SHA-256 over the previous link's
 * hash followed by the canonical form of the event at its chain position (docs/audit.md).
 * The canonical form is fixed: a version tag, then each field in a fixed order, numbers as
 * big-endian integers, texts as their UTF-8 length (-1 for none) and bytes. {@code details}
 * is PostgreSQL's own text of the {@code jsonb} value, which is the same for equal values.
 */
record AuditLink(long id, Instant occurredAt, String realm, String type, String outcome, String subject,
		String username, String clientId, String ipAddress, String userAgent, String sessionId, String details,
		Long position, byte[] hash) {

	/** The hash before the first link of a chain. */
	static final byte[] GENESIS = new byte[32];

	static final String VERSION = "hitotsu-audit-v1";

	static final String COLUMNS = """
			id, occurred_at, realm, type, outcome, subject, username, client_id, ip_address, user_agent, session_id,
			details::text as details, chain_position, hash""";

	static AuditLink read(ResultSet rs, int row) throws SQLException {
		long position = rs.getLong("chain_position");
		return new AuditLink(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("realm"),
				rs.getString("type"), rs.getString("outcome"), rs.getString("subject"), rs.getString("username"),
				rs.getString("client_id"), rs.getString("ip_address"), rs.getString("user_agent"),
				rs.getString("session_id"), rs.getString("details"), rs.wasNull() ? null : position,
				rs.getBytes("hash"));
	}

	/** The hash this event has at {@code position} after a link whose hash is {@code previous}. */
	byte[] hashAt(long position, byte[] previous) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			text(out, VERSION);
			out.writeLong(position);
			out.writeLong(this.id);
			out.writeLong(this.occurredAt.getEpochSecond());
			out.writeInt(this.occurredAt.getNano());
			for (String field : new String[] { this.realm, this.type, this.outcome, this.subject, this.username,
					this.clientId, this.ipAddress, this.userAgent, this.sessionId, this.details }) {
				text(out, field);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		MessageDigest sha256 = sha256();
		sha256.update(previous);
		return sha256.digest(bytes.toByteArray());
	}

	private static void text(DataOutputStream out, String value) throws IOException {
		if (value == null) {
			out.writeInt(-1);
			return;
		}
		byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(utf8.length);
		out.write(utf8);
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
