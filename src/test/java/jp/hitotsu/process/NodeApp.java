package jp.hitotsu.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jp.hitotsu.support.Browserless;

/**
 * A Node program of the project (a provider BrokerIT brokers to, a guide's example) run as
 * a separate process: copied with its lock file into {@code target/NAME}, installed there by
 * {@code npm ci --offline} out of npm's local cache (no network while testing: .ci/run fills
 * the cache from every lock file), and started with {@code node}. Its output goes to
 * {@code target/process-logs/NAME.log}; failures end with that log.
 */
final class NodeApp implements AutoCloseable {

	private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(120);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final String NEEDS = "node and npm must be installed, and npm's cache filled from this lock file: "
			+ ".ci/run does both (it runs npm ci once per lock file, with the network)";

	private final Process process;

	private final Path log;

	private NodeApp(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Installs the program's locked dependencies into a fresh copy of {@code files} of
	 * {@code source} and returns that directory.
	 */
	static Path install(String name, Path source, List<String> files) {
		Path work = Path.of("target", name).toAbsolutePath();
		Path log = log(name + "-npm-ci");
		try {
			Files.createDirectories(work);
			for (String file : files) {
				Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
			Process install = new ProcessBuilder("npm", "ci", "--offline", "--no-audit", "--no-fund")
				.directory(work.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!install.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				install.destroyForcibly();
				throw new AssertionError("npm ci --offline in " + work + " did not finish within " + INSTALL_TIMEOUT
						+ ServerProcess.tail(log));
			}
			if (install.exitValue() != 0) {
				throw new AssertionError("npm ci --offline in " + work + " failed: " + NEEDS + ServerProcess.tail(log));
			}
			return work;
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot install " + source + ": " + NEEDS, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** Runs {@code node SCRIPT} in an installed directory and waits until {@code ready} answers 2xx or 3xx. */
	static NodeApp start(String name, Path work, String script, Map<String, String> environment, URI ready) {
		Path log = log(name);
		ProcessBuilder builder = new ProcessBuilder("node", script).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		NodeApp app;
		try {
			app = new NodeApp(builder.start(), log);
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot start node: " + NEEDS, ex);
		}
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!app.process.isAlive()) {
				throw new AssertionError(name + " exited with status " + app.process.exitValue() + app.tail());
			}
			try {
				int status = new Browserless().get(ready).statusCode();
				if (status >= 200 && status < 400) {
					return app;
				}
			}
			catch (AssertionError notListeningYet) {
				// node is still starting
			}
			ServerProcess.sleep(Duration.ofMillis(100));
		}
		app.close();
		throw new AssertionError(name + " did not answer " + ready + " within " + START_TIMEOUT + app.tail());
	}

	/** The end of the program's output, to append to a failure message. */
	String tail() {
		return ServerProcess.tail(this.log);
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	private static Path log(String name) {
		Path dir = Path.of("target", "process-logs").toAbsolutePath();
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return dir.resolve(name + ".log");
	}

}
