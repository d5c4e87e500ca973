package jp.hitotsu.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL that Keycloak uses in the benchmark: the same server as Hitotsu's
 * embedded one (zonky's PostgreSQL 17 binaries, the same settings: durable, 200
 * connections, UTF8 / C locale, loopback only), on a data directory of its own.
 *
 * <pre>
 * java -cp TEST_CLASSPATH jp.hitotsu.bench.PostgresLauncher DATA_DIR DATABASE PORT_FILE
 * </pre>
 *
 * Creates DATABASE when missing, writes the port to PORT_FILE once ready, and runs until
 * the JVM gets SIGTERM (the shutdown hook stops PostgreSQL).
 */
public final class PostgresLauncher {

	private PostgresLauncher() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: PostgresLauncher DATA_DIR DATABASE PORT_FILE");
			System.exit(2);
		}
		Path dataDir = Path.of(args[0]).toAbsolutePath();
		String database = args[1];
		Path portFile = Path.of(args[2]);
		Files.createDirectories(dataDir);
		Files.deleteIfExists(portFile);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			.setPGStartupWait(Duration.ofSeconds(60))
			.setServerConfig("listen_addresses", "127.0.0.1")
			.setServerConfig("max_connections", "200")
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setLocaleConfig("encoding", "UTF8")
			.setLocaleConfig("locale", "C")
			.start();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				postgres.close();
				System.out.println("PostgreSQL stopped");
			}
			catch (Exception ex) {
				ex.printStackTrace();
			}
			finally {
				stopped.countDown();
			}
		}, "stop-postgres"));
		try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
				Statement statement = connection.createStatement();
				ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
			if (!database.matches("[a-z_][a-z0-9_]*")) {
				throw new IllegalArgumentException("database name " + database);
			}
			if (!exists.next()) {
				try (Statement create = connection.createStatement()) {
					create.execute("create database " + database);
				}
			}
		}
		Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
		Files.writeString(tmp, Integer.toString(postgres.getPort()));
		Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		System.out.println("PostgreSQL " + dataDir + " ready on 127.0.0.1:" + postgres.getPort() + " database " + database);
		stopped.await();
	}

}
