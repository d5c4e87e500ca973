package jp.hitotsu.cluster;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells every replica on the database that something it may hold in memory changed,
 * through PostgreSQL {@code LISTEN/NOTIFY} on one channel: no other infrastructure.
 *
 * <p>
 * {@link #publish} sends {@code topic:key} with {@code pg_notify} on the caller's
 * connection, so inside a transaction PostgreSQL delivers it only if, and when, the
 * transaction commits; the publishing process also runs its own listeners right after
 * the commit, whether or not its listening connection works at that moment.
 *
 * <p>
 * Each process keeps one connection of its own (not from the pool) that listens, read by
 * one background thread. When that connection breaks it is reopened with a growing pause,
 * and every listener is then told to drop everything ({@code onAll}): notifications sent
 * while nobody listened are lost. The periodic refresh of each cache remains the safety
 * net for a connection that is broken without either side noticing yet.
 */
@Service
public class CacheInvalidations implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(CacheInvalidations.class);

	/** The channel every replica of a database listens on. */
	public static final String CHANNEL = "hitotsu_cache";

	/** PostgreSQL refuses payloads of 8000 bytes and more. */
	static final int MAX_PAYLOAD_BYTES = 7999;

	/** Sent as the key when the whole topic must be dropped (a key too long to send). */
	public static final String EVERYTHING = "*";

	/** Shown in {@code pg_stat_activity}, so an operator finds the listening connections. */
	public static final String APPLICATION_NAME = "hitotsu-cache-listener";

	private static final Duration FIRST_RETRY = Duration.ofMillis(200);

	/** How long the thread waits for a notification before checking that it should go on. */
	private static final int POLL_MILLIS = 500;

	/**
	 * How often an idle listening connection is checked with a query: a connection that the
	 * network dropped silently fails this check (or its socket timeout) and is reopened.
	 */
	private static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	private final CacheProperties properties;

	private final Map<String, List<Subscription>> subscriptions = new ConcurrentHashMap<>();

	/** Counts the times the listening connection was (re)opened, for operators and tests. */
	private final AtomicLong connections = new AtomicLong();

	private final CountDownLatch firstConnection = new CountDownLatch(1);

	private volatile boolean running;

	private volatile Thread thread;

	private volatile Connection listening;

	CacheInvalidations(JdbcClient jdbc, DataSource dataSource, CacheProperties properties) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.properties = properties;
	}

	/**
	 * Calls {@code onKey} with the key of every change published on the topic, by any
	 * process on the database (this one included), and {@code onAll} when changes may have
	 * been missed. Listeners run on the listening thread: they must be quick (drop an entry,
	 * never reload eagerly) and must not fail.
	 */
	public void subscribe(String topic, Consumer<String> onKey, Runnable onAll) {
		if (topic.contains(":")) {
			throw new IllegalArgumentException("A topic has no ':' in it: " + topic);
		}
		this.subscriptions.computeIfAbsent(topic, (t) -> new CopyOnWriteArrayList<>())
			.add(new Subscription(onKey, onAll));
	}

	/**
	 * Tells every process (this one included) that the entry {@code key} of {@code topic}
	 * changed. Inside a transaction the notification leaves when it commits, not before,
	 * and not at all if it rolls back.
	 */
	public void publish(String topic, String key) {
		String payload = payload(topic, key);
		this.jdbc.sql("select pg_notify(:channel, :payload)")
			.param("channel", CHANNEL)
			.param("payload", payload)
			.query((rs) -> {
			});
		// ours too, without waiting for the round trip through the listening connection
		tellThisProcess(topic, payload.substring(topic.length() + 1));
	}

	/**
	 * Runs this process's listeners of {@code topic} for a change whose notification a
	 * database trigger sends to every process: when the caller's transaction commits (at once
	 * outside one), so that this process reads its own writes without waiting for the round
	 * trip through the listening connection.
	 */
	public void tellThisProcess(String topic, String key) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					dispatch(topic, key);
				}
			});
		}
		else {
			dispatch(topic, key);
		}
	}

	/**
	 * The payload for a change, for statements that send their notification themselves
	 * ({@code pg_notify(CHANNEL, payload)} in the statement that makes the change).
	 */
	public static String payload(String topic, String key) {
		String payload = topic + ":" + key;
		return (payload.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES) ? payload
				: topic + ":" + EVERYTHING;
	}

	/**
	 * Whether this process hears changes now: its listening connection is open and everything
	 * cached before it opened was dropped. A cache whose entries must never outlive a change
	 * (accounts) reads the database instead while this is false.
	 */
	public boolean hearing() {
		return this.listening != null;
	}

	/** How many times the listening connection was opened (1 after start, more after failures). */
	public long connectionsOpened() {
		return this.connections.get();
	}

	/** The PostgreSQL backend process of the listening connection, or -1 when there is none. */
	public int listenerBackendPid() {
		Connection connection = this.listening;
		try {
			return (connection != null) ? connection.unwrap(PGConnection.class).getBackendPID() : -1;
		}
		catch (SQLException ex) {
			return -1;
		}
	}

	@Override
	public void start() {
		this.running = true;
		Thread listener = new Thread(this::listen, "cache-invalidations");
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
		try {
			// a replica that reports ready should already hear the others
			if (!this.firstConnection.await(10, TimeUnit.SECONDS)) {
				logger.warn("Not listening for cache invalidations yet; retrying in the background");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		Thread listener = this.thread;
		if (listener != null) {
			listener.interrupt();
			try {
				listener.join(POLL_MILLIS * 4L);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Starts before the web server and stops after it, so in-flight requests see changes. */
	@Override
	public int getPhase() {
		return 0;
	}

	private void listen() {
		Duration retry = FIRST_RETRY;
		boolean failed = false;
		while (this.running) {
			try (Connection connection = open(); Statement statement = connection.createStatement()) {
				connection.setAutoCommit(true);
				statement.execute("LISTEN " + CHANNEL);
				PGConnection postgres = connection.unwrap(PGConnection.class);
				this.connections.incrementAndGet();
				if (failed) {
					logger.info("Listening for cache invalidations again (backend {}); dropping every cached entry, "
							+ "since changes made meanwhile were not heard", postgres.getBackendPID());
				}
				else {
					logger.debug("Listening for cache invalidations on channel {} (backend {})", CHANNEL,
							postgres.getBackendPID());
				}
				// whatever happened before LISTEN took effect was not heard
				dispatchAll();
				this.listening = connection;
				this.firstConnection.countDown();
				retry = FIRST_RETRY;
				failed = false;
				long checked = System.nanoTime();
				while (this.running) {
					PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
					if (notifications != null) {
						for (PGNotification notification : notifications) {
							received(notification.getParameter());
						}
					}
					if (System.nanoTime() - checked > CHECK_INTERVAL.toNanos()) {
						statement.execute("select 1");
						checked = System.nanoTime();
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				this.listening = null;
				if (!this.running) {
					break;
				}
				failed = true;
				logger.warn("Cache invalidations: the listening connection failed ({}); reconnecting in {} ms",
						ex.getMessage(), retry.toMillis());
				if (!pause(retry)) {
					break;
				}
				retry = retry.multipliedBy(2);
				if (retry.compareTo(this.properties.reconnectMaxDelay()) > 0) {
					retry = this.properties.reconnectMaxDelay();
				}
			}
			finally {
				this.listening = null;
			}
		}
	}

	/**
	 * A connection of its own, with the pool's URL and credentials; the pool is left for
	 * requests. Failing that (a DataSource that is not a Hikari pool), one of its connections.
	 */
	private Connection open() throws SQLException {
		if (this.dataSource.isWrapperFor(HikariDataSource.class)) {
			HikariDataSource pool = this.dataSource.unwrap(HikariDataSource.class);
			Properties connectionProperties = new Properties();
			connectionProperties.putAll(pool.getDataSourceProperties());
			if (pool.getUsername() != null) {
				connectionProperties.setProperty("user", pool.getUsername());
			}
			if (pool.getPassword() != null) {
				connectionProperties.setProperty("password", pool.getPassword());
			}
			connectionProperties.setProperty("ApplicationName", APPLICATION_NAME);
			connectionProperties.setProperty("connectTimeout", "10");
			// a reply that never comes (a silently dropped connection) fails the check query
			connectionProperties.setProperty("socketTimeout", "30");
			connectionProperties.setProperty("tcpKeepAlive", "true");
			Connection connection = new org.postgresql.Driver().connect(pool.getJdbcUrl(), connectionProperties);
			if (connection == null) {
				throw new SQLException("Not a PostgreSQL URL: " + pool.getJdbcUrl());
			}
			return connection;
		}
		return this.dataSource.getConnection();
	}

	private boolean pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void received(String payload) {
		int colon = (payload != null) ? payload.indexOf(':') : -1;
		if (colon <= 0) {
			logger.debug("Ignoring a cache invalidation without a topic: {}", payload);
			return;
		}
		dispatch(payload.substring(0, colon), payload.substring(colon + 1));
	}

	private void dispatch(String topic, String key) {
		for (Subscription subscription : this.subscriptions.getOrDefault(topic, List.of())) {
			try {
				if (EVERYTHING.equals(key)) {
					subscription.onAll().run();
				}
				else {
					subscription.onKey().accept(key);
				}
			}
			catch (RuntimeException ex) {
				logger.error("A cache invalidation listener of topic '{}' failed on key '{}'", topic, key, ex);
			}
		}
	}

	private void dispatchAll() {
		for (Map.Entry<String, List<Subscription>> topic : this.subscriptions.entrySet()) {
			for (Subscription subscription : topic.getValue()) {
				try {
					subscription.onAll().run();
				}
				catch (RuntimeException ex) {
					logger.error("A cache invalidation listener of topic '{}' failed to drop everything",
							topic.getKey(), ex);
				}
			}
		}
	}

	private record Subscription(Consumer<String> onKey, Runnable onAll) {
	}

}
