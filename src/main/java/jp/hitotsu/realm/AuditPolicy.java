package jp.hitotsu.realm;

import java.time.Duration;

/**
 * How long a realm's audit trail keeps its events. Every security-relevant change is audited
 * in every realm; the calls that change nothing (UserInfo, introspection) too in realms held
 * to {@link RealmRule#FULL_AUDIT} (every realm of the My Number zone).
 *
 * @param retention how long events are kept; {@code null} (the default) keeps them all.
 * Older events go only as whole sealed segments, and a checkpoint of the chain stays
 */
public record AuditPolicy(Duration retention) {

	public static final AuditPolicy DEFAULTS = new AuditPolicy(null);

	/** Retention shorter than a day would delete events before anyone looked at them. */
	private static final Duration SHORTEST_RETENTION = Duration.ofDays(1);

	public AuditPolicy {
		Definitions.require(retention == null || retention.compareTo(SHORTEST_RETENTION) >= 0,
				"audit.retention must be at least 1d (or absent to keep every event), got " + retention);
	}

}
