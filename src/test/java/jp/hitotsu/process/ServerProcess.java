package jp.hitotsu.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

/**
 * The packaged server ({@code target/hitotsu-*.jar}) run as a separate OS process, as an
 * operator runs it: {@code java -jar ... --server.port=P ...}. Its output goes to a log
 * file in {@code target/process-logs/}; every failure message ends with the log's tail.
 *
 * <p>
 * {@link #stop()} is a graceful stop (SIGTERM, as systemd or Kubernetes send);
 * {@link #kill()} is {@code kill -9} of the JVM only: an embedded PostgreSQL it started
 * keeps running, as it would after an OOM kill.
 */
final class ServerProcess implements AutoCloseable {

	static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

	/** Start fast on a small machine: these tests are about behaviour, not throughput. */
	static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-Xmx384m");

	/**
	 * A first start hashes the password of every account in the realm files: at Argon2id's
	 * cheapest (1 pass over 1 MiB) rather than Keycloak's cost (5 over 7 MiB), about 90
	 * accounts of the staff realm take under a second of CPU instead of 13. These tests are
	 * about processes; the other tests run with the shipped parameters.
	 */
	static final List<String> TEST_HASHING = List.of("--hitotsu.password-hashing.iterations=1",
			"--hitotsu.password-hashing.memory-kib=1024");

	private static final Path LOG_DIR = Path.of("target", "process-logs").toAbsolutePath();

	private static final Map<String, Integer> LOG_NAMES = new ConcurrentHashMap<>();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(2))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	/**
	 * Servers not stopped yet. Should the test JVM end first (a failed or interrupted
	 * build), they get SIGTERM: no server, and so no PostgreSQL, outlives the build.
	 */
	private static final Set<ServerProcess> RUNNING = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			RUNNING.forEach((server) -> server.process.destroy());
			for (ServerProcess server : RUNNING) {
				try {
					server.process.waitFor(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "stop-server-processes"));
	}

	private final String name;

	private final int port;

	private final Process process;

	private final Path log;

	private ServerProcess(String name, int port, Process process, Path log) {
		this.name = name;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/** Starts a server on the given port and waits until it reports ready. */
	static ServerProcess start(String name, int port, List<String> properties) {
		ServerProcess server = launch(name, port, properties);
		try {
			server.awaitReady(START_TIMEOUT);
		}
		catch (AssertionError ex) {
			try {
				server.stop();
			}
			catch (AssertionError stopFailed) {
				ex.addSuppressed(stopFailed);
			}
			throw ex;
		}
		return server;
	}

	/** Starts a server process without waiting for anything. */
	static ServerProcess launch(String name, int port, List<String> properties) {
		// without it the server would provision the demo realms of config/realms
		if (properties.stream().noneMatch((property) -> property.startsWith("--hitotsu.realms-dir="))) {
			throw new IllegalArgumentException("Server '" + name + "' needs --hitotsu.realms-dir (see testRealms)");
		}
		List<String> args = new ArrayList<>();
		args.add("--server.port=" + port);
		args.add("--server.address=127.0.0.1");
		args.addAll(properties);
		Path log = logFile(name);
		ServerProcess server = new ServerProcess(name, port, spawn(args, log), log);
		RUNNING.add(server);
		return server;
	}

	/**
	 * Runs the jar as a one-shot command (for example {@code rotate-keys REALM ...}) and
	 * waits for it to exit.
	 */
	static Result run(String name, List<String> args, Duration timeout) {
		Path log = logFile(name);
		Process process = spawn(args, log);
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor();
				throw new AssertionError("'" + String.join(" ", args) + "' did not finish within " + timeout
						+ tail(log));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new AssertionError(ex);
		}
		return new Result(process.exitValue(), read(log), log);
	}

	/** A TCP port on the loopback interface that was free a moment ago. */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Path jar() {
		Path target = Path.of("target").toAbsolutePath();
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().matches("hitotsu-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError(
						"No packaged server in " + target + ": run the integration tests with 'mvn verify'"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Path realmsDir() {
		return Path.of("src", "test", "resources", "realms").toAbsolutePath();
	}

	/**
	 * A new directory in {@code parent} with copies of the named realm files of the test
	 * suite. A first start provisions every realm it finds: an RSA key pair per realm, a
	 * password hash per account. For all 28 test realms that took a minute or more per
	 * start, with C1 only and two test JVMs on two cores; a test provisions the realms it
	 * uses.
	 */
	static Path testRealms(Path parent, String... realms) {
		try {
			Path dir = Files.createTempDirectory(parent, "realms-");
			for (String realm : realms) {
				Files.copy(realmsDir().resolve(realm + ".yaml"), dir.resolve(realm + ".yaml"));
			}
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	Path log() {
		return this.log;
	}

	String logText() {
		return read(this.log);
	}

	String base() {
		return "http://127.0.0.1:" + this.port;
	}

	URI uri(String path) {
		return URI.create(base() + path);
	}

	Issuer issuer(String realm) {
		return new Issuer(base() + "/realms/" + realm);
	}

	/** The realm's metadata, found as a client finds it: through discovery. */
	OIDCProviderMetadata discover(String realm) {
		try {
			return OIDCProviderMetadata.resolve(issuer(realm), 5000, 30000);
		}
		catch (GeneralException | IOException ex) {
			throw new AssertionError("Discovery of realm " + realm + " at " + this + " failed" + tail(this.log), ex);
		}
	}

	/** Polls the readiness probe until it answers 200; fails at once if the process exits. */
	void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		URI readiness = uri("/actuator/health/readiness");
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError(this + " exited with status " + this.process.exitValue()
						+ " before it was ready" + tail(this.log));
			}
			try {
				HttpResponse<String> response = HTTP.send(
						HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).GET().build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
				last = response.statusCode() + " " + response.body();
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			sleep(Duration.ofMillis(250));
		}
		throw new AssertionError(this + " was not ready within " + timeout + " (last answer: " + last + ")"
				+ tail(this.log));
	}

	/** Waits for the process to end by itself and returns its exit status. */
	int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError(this + " still runs after " + timeout + tail(this.log));
			}
			RUNNING.remove(this);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		return this.process.exitValue();
	}

	/**
	 * Graceful stop: SIGTERM, then waits for the JVM (and with it the embedded
	 * PostgreSQL it stops on the way out). A server that does not stop in time is killed
	 * and the test fails.
	 */
	int stop() {
		if (!this.process.isAlive()) {
			RUNNING.remove(this);
			return this.process.exitValue();
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor();
				throw new AssertionError(this + " did not stop within " + STOP_TIMEOUT + " of SIGTERM" + tail(this.log));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		finally {
			if (!this.process.isAlive()) {
				RUNNING.remove(this);
			}
		}
		return this.process.exitValue();
	}

	/** {@code kill -9} of the JVM alone; its child processes are left as they are. */
	void kill() {
		this.process.destroyForcibly();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError(this + " survived SIGKILL");
			}
			RUNNING.remove(this);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	@Override
	public void close() {
		stop();
	}

	@Override
	public String toString() {
		return "server '" + this.name + "' (pid " + this.process.pid() + ", port " + this.port + ", log " + this.log
				+ ")";
	}

	/** The end of a log, to append to a failure message. */
	static String tail(Path log) {
		List<String> lines = read(log).lines().toList();
		int from = Math.max(0, lines.size() - 120);
		return "\n---- " + log + " (last " + (lines.size() - from) + " lines) ----\n"
				+ String.join("\n", lines.subList(from, lines.size())) + "\n---- end of " + log.getFileName() + " ----";
	}

	/**
	 * PostgreSQL server processes whose command line names the directory: the postmaster
	 * started on a data directory under it. After every server on it stopped gracefully
	 * there must be none.
	 */
	static List<ProcessHandle> postgresProcessesUnder(Path directory) {
		String dir = directory.toAbsolutePath().toString();
		return ProcessHandle.allProcesses()
			.filter(ProcessHandle::isAlive)
			.filter((process) -> process.info().command().map((command) -> command.endsWith("/postgres")).orElse(false))
			.filter((process) -> process.info()
				.arguments()
				.map((args) -> Stream.of(args).anyMatch((arg) -> arg.equals(dir) || arg.startsWith(dir + "/")))
				.orElse(false))
			.toList();
	}

	/**
	 * Stops (SIGTERM, then SIGKILL) every PostgreSQL left running on a directory under the
	 * given one, then deletes it. Returns the processes found, for the caller to report.
	 */
	static List<Long> cleanUp(Path directory) {
		List<ProcessHandle> leftovers = postgresProcessesUnder(directory);
		for (ProcessHandle postgres : leftovers) {
			postgres.destroy();
		}
		for (ProcessHandle postgres : leftovers) {
			try {
				postgres.onExit().get(30, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				postgres.destroyForcibly();
			}
		}
		deleteRecursively(directory);
		return leftovers.stream().map(ProcessHandle::pid).toList();
	}

	static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					// a file PostgreSQL removed meanwhile, or one it still writes: best effort
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private static Process spawn(List<String> args, Path log) {
		List<String> command = new ArrayList<>(ServerLayout.command());
		command.addAll(args);
		command.addAll(TEST_HASHING);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
		// only the arguments configure the server: nothing from the environment of the build
		Map<String, String> environment = builder.environment();
		environment.keySet()
			.removeIf((key) -> key.startsWith("HITOTSU_") || key.startsWith("SPRING_") || key.startsWith("SERVER_")
					|| key.equals("JAVA_TOOL_OPTIONS") || key.equals("JDK_JAVA_OPTIONS"));
		try {
			Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
			return builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + command, ex);
		}
	}

	private static Path logFile(String name) {
		try {
			Files.createDirectories(LOG_DIR);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		// one file per name and run (an earlier build's file is overwritten); a name used
		// twice in one run gets a number
		int use = LOG_NAMES.merge(name, 1, Integer::sum);
		return LOG_DIR.resolve((use == 1) ? name + ".log" : name + "-" + use + ".log");
	}

	private static String read(Path log) {
		try {
			return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	/** How a one-shot command ended. */
	record Result(int exitCode, String output, Path log) {

		String describe() {
			return "exit status " + this.exitCode + tail(this.log);
		}

	}

}
