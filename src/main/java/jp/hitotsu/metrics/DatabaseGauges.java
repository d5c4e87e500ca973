package jp.hitotsu.metrics;

import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;
import jp.hitotsu.session.RealmSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Gauges counted in the database, so the same on every replica: browser sessions logged in
 * to each realm, the length of each realm's audit trail, and the logout tokens waiting to be
 * sent to its clients. One query per gauge family
 * counts every realm at once, and its answer serves the scrapes of
 * {@code hitotsu.metrics.database-gauge-refresh}: a scrape costs no query most of the time,
 * never one per realm. While the database is unreachable the last counts stay.
 */
@Component
class DatabaseGauges {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseGauges.class);

	static final String SESSIONS = "hitotsu.sessions.active";

	static final String AUDIT_EVENTS = "hitotsu.audit.events";

	static final String LOGOUT_QUEUE = "hitotsu.logout.queue";

	private final MeterRegistry registry;

	private final RealmRegistry realms;

	private final Counts sessions;

	private final Counts auditEvents;

	private final Counts waitingLogouts;

	DatabaseGauges(MeterRegistry registry, RealmRegistry realms, RealmLogins logins, AuditTrail audit,
			MetricsProperties properties, RealmSessions realmSessions) {
		this.registry = registry;
		this.realms = realms;
		long refreshNanos = properties.databaseGaugeRefresh().toNanos();
		this.sessions = new Counts("active sessions", logins::activeSessionsByRealm, refreshNanos);
		this.auditEvents = new Counts("audit trail lengths", audit::lengthByRealm, refreshNanos);
		this.waitingLogouts = new Counts("waiting logout tokens", realmSessions::waitingLogoutsByRealm,
				refreshNanos);
	}

	/**
	 * One gauge of each kind per realm the replica serves when it is ready (realms are added
	 * by starting a replica with new realm files; the others show them once restarted).
	 */
	@EventListener(ApplicationReadyEvent.class)
	void registerGauges() {
		for (Realm realm : this.realms.all()) {
			register(realm.name());
		}
	}

	private void register(String realm) {
		Gauge.builder(SESSIONS, this.sessions, (counts) -> counts.of(realm))
			.description("Browser sessions logged in to the realm (counted in the database)")
			.tag("realm", realm)
			.register(this.registry);
		Gauge.builder(AUDIT_EVENTS, this.auditEvents, (counts) -> counts.of(realm))
			.description("Events in the realm's audit trail")
			.tag("realm", realm)
			.register(this.registry);
		Gauge.builder(LOGOUT_QUEUE, this.waitingLogouts, (counts) -> counts.of(realm))
			.description("Logout tokens waiting to be sent to the realm's clients (hitotsu.logout.queue-limit)")
			.tag("realm", realm)
			.register(this.registry);
	}

	/** Counts per realm from one query, read again when a scrape finds them older than the refresh. */
	private static final class Counts {

		private final String what;

		private final Supplier<Map<String, Long>> query;

		private final long refreshNanos;

		private volatile Map<String, Long> counts = Map.of();

		private volatile long readAt;

		private volatile boolean read;

		Counts(String what, Supplier<Map<String, Long>> query, long refreshNanos) {
			this.what = what;
			this.query = query;
			this.refreshNanos = refreshNanos;
		}

		double of(String realm) {
			refreshIfOld();
			return this.counts.getOrDefault(realm, 0L);
		}

		private synchronized void refreshIfOld() {
			long now = System.nanoTime();
			if (this.read && now - this.readAt < this.refreshNanos) {
				return;
			}
			// the next try is a refresh away even when this one fails: a scrape waits for an
			// unreachable database at most once per refresh
			this.read = true;
			this.readAt = now;
			try {
				this.counts = Map.copyOf(this.query.get());
			}
			catch (DataAccessException ex) {
				logger.warn("Cannot count the {} for the metrics ({}); keeping the last counts", this.what,
					ex.getMessage());
			}
		}

	}

}
