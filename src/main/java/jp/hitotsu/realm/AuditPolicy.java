package jp.hitotsu.realm;

import java.time.Duration;

/**
 * What a realm's audit trail keeps. Every security-relevant change is audited in every
 * realm; these settings add the calls that change nothing and bound how long events stay.
 *
 * @param full also audit every UserInfo and introspection call, and write the events of
 * calls that change nothing (client-credentials tokens, UserInfo, introspection) before
 * the response rather than in the next batch; always on in zone {@code mynumber}
 * @param retention how long events are kept; {@code null} (the default) keeps them all.
 * Older events go only as whole sealed segments, and a checkpoint of the chain stays
 */
public record AuditPolicy(Boolean full, Duration retention) {

	public static final AuditPolicy DEFAULTS = new AuditPolicy(null, null);

	/** Retention shorter than a day would delete events before anyone looked at them. */
	private static final Duration SHORTEST_RETENTION = Duration.ofDays(1);

	public AuditPolicy {
		full = Boolean.TRUE.equals(full);
		Definitions.require(retention == null || retention.compareTo(SHORTEST_RETENTION) >= 0,
				"audit.retention must be at least 1d (or absent to keep every event), got " + retention);
	}

	/** The zone's rule on top of the file: the My Number zone audits every call. */
	AuditPolicy inZone(Zone zone) {
		return (zone == Zone.MYNUMBER && !this.full) ? new AuditPolicy(true, this.retention) : this;
	}

}
