package jp.hitotsu.audit;

import java.time.Instant;

/**
 * Which events of a realm to list, and where the page starts.
 *
 * @param realm the realm
 * @param from only events at or after this time, or {@code null}
 * @param to only events before this time, or {@code null}
 * @param subject only events about this account, or {@code null}
 * @param type only events of this type, or {@code null}
 * @param clientId only events involving this client, or {@code null}
 * @param outcome only successes or only failures, or {@code null}
 * @param after the page starts after this event (the previous page's {@code next}), or
 * {@code null} for the newest
 * @param limit events per page
 */
public record AuditQuery(String realm, Instant from, Instant to, String subject, AuditEventType type,
		String clientId, AuditEvent.Outcome outcome, Cursor after, int limit) {

	/** A position in the list order: the last event of a page, by time and id. */
	public record Cursor(Instant occurredAt, long id) {

		/** The cursor as an opaque string for clients: {@code <epoch micros>.<id>}. */
		public String encode() {
			long micros = Math.addExact(Math.multiplyExact(this.occurredAt.getEpochSecond(), 1_000_000L),
					this.occurredAt.getNano() / 1_000);
			return micros + "." + this.id;
		}

		/** @throws IllegalArgumentException when the text is not a cursor this server made */
		public static Cursor decode(String text) {
			int dot = text.indexOf('.');
			if (dot < 1 || dot == text.length() - 1) {
				throw new IllegalArgumentException("not a cursor: " + text);
			}
			try {
				long micros = Long.parseLong(text.substring(0, dot));
				long id = Long.parseLong(text.substring(dot + 1));
				return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
						Math.floorMod(micros, 1_000_000L) * 1_000L), id);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("not a cursor: " + text, ex);
			}
		}

	}

}
