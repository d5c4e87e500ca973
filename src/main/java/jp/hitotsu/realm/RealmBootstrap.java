package jp.hitotsu.realm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jp.hitotsu.HitotsuProperties;
import jp.hitotsu.cluster.ClusterLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Loads the realm files at startup, before the web server opens: realms of this zone are
 * stored and announced so each feature provisions its part; files of other zones are
 * skipped with one line saying so. A bad file stops startup.
 *
 * <p>
 * Instances sharing one database provision one at a time, under a PostgreSQL advisory
 * lock: replicas started together on a new database would otherwise both find a realm's
 * keys or accounts missing, both insert them, and all but one fail on a unique key.
 */
@Component
class RealmBootstrap implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(RealmBootstrap.class);

	/** Key of the advisory lock held while provisioning (a session lock: it spans transactions). */
	private static final long PROVISIONING_LOCK = ClusterLock.key(0x01);

	private static final Duration LOCK_RETRY = Duration.ofMillis(200);

	private static final Duration LOCK_WAIT_REPORT = Duration.ofSeconds(10);

	private final HitotsuProperties properties;

	private final RealmRegistry registry;

	private final ApplicationEventPublisher events;

	private final DataSource dataSource;

	RealmBootstrap(HitotsuProperties properties, RealmRegistry registry, ApplicationEventPublisher events,
			DataSource dataSource) {
		this.properties = properties;
		this.registry = registry;
		this.events = events;
		this.dataSource = dataSource;
	}

	private String describeDemoAccounts(RealmDefinition definition) {
		List<String> demo = definition.users()
			.stream()
			.filter(UserDefinition::demo)
			.map((user) -> user.username() + " / " + user.password())
			.toList();
		return demo.isEmpty() ? "" : "; demo accounts (username / password): " + String.join(", ", demo);
	}

	@Override
	public void afterSingletonsInstantiated() {
		// a session lock on a connection of its own; provisioning runs on other connections
		try (Connection lock = this.dataSource.getConnection();
				PreparedStatement tryAcquire = lock.prepareStatement("select pg_try_advisory_lock(?)");
				PreparedStatement release = lock.prepareStatement("select pg_advisory_unlock(?)")) {
			tryAcquire.setLong(1, PROVISIONING_LOCK);
			release.setLong(1, PROVISIONING_LOCK);
			awaitLock(tryAcquire);
			try {
				provision();
			}
			finally {
				release.execute();
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot take the realm provisioning lock in the database", ex);
		}
	}

	/**
	 * Waits while another instance provisions, asking again and again rather than blocking
	 * in one statement: a large realm file can take longer than the database socket timeout
	 * (hitotsu.database.socket-timeout), which would otherwise stop this instance's start.
	 */
	private static void awaitLock(PreparedStatement tryAcquire) throws SQLException {
		long started = System.nanoTime();
		long nextReport = started + LOCK_WAIT_REPORT.toNanos();
		while (!acquired(tryAcquire)) {
			if (System.nanoTime() >= nextReport) {
				logger.info("Another instance is still provisioning the realms in this database; waiting ({} s so far)",
						Duration.ofNanos(System.nanoTime() - started).toSeconds());
				nextReport += LOCK_WAIT_REPORT.toNanos();
			}
			try {
				Thread.sleep(LOCK_RETRY.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the realm provisioning lock", ex);
			}
		}
	}

	private static boolean acquired(PreparedStatement tryAcquire) throws SQLException {
		try (ResultSet result = tryAcquire.executeQuery()) {
			return result.next() && result.getBoolean(1);
		}
	}

	private void provision() {
		Map<String, RealmDefinitionLoader.LoadedDefinition> byName = new HashMap<>();
		for (RealmDefinitionLoader.LoadedDefinition loaded : new RealmDefinitionLoader()
			.loadDirectory(this.properties.realmsDir())) {
			RealmDefinition definition = loaded.definition();
			RealmDefinitionLoader.LoadedDefinition earlier = byName.putIfAbsent(definition.name(), loaded);
			if (earlier != null) {
				throw new RealmDefinitionException(loaded.file(), 0,
						"realm '" + definition.name() + "' is already defined in " + earlier.file());
			}
			if (definition.zone() != this.properties.zone()) {
				logger.info("Skipping realm '{}' ({}): it belongs to zone '{}', this process serves zone '{}'",
						definition.name(), loaded.file(), definition.zone().id(), this.properties.zone().id());
				continue;
			}
			this.registry.store(definition.realm());
			this.events.publishEvent(new RealmProvisionedEvent(definition));
			this.registry.rememberDemoAccounts(definition);
			logger.info("Realm '{}' loaded from {}{}", definition.name(), loaded.file(), describeDemoAccounts(definition));
		}
		this.registry.reload();
		if (this.registry.all().isEmpty()) {
			logger.warn("No realm of zone '{}' found in {}", this.properties.zone().id(),
					this.properties.realmsDir().toAbsolutePath());
		}
	}

}
