package jp.hitotsu.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the process tests launch the packaged server: the jar laid out as the container
 * image lays it out ({@code java -Djarmode=tools -jar hitotsu.jar extract}, see the
 * Dockerfile), started with a class data sharing archive that one training start recorded.
 *
 * <p>
 * Why: the process tests start the server some thirty times, on a two-core CI machine,
 * two test JVMs at once, and a start is mostly loading classes. A restart (Java 17, C1
 * only) costs 17-18 s of CPU from the packaged jar, 11-12 s from the extracted one and
 * 8 s with the archive besides. The archive only speeds up: a JVM that cannot use it
 * starts without it.
 *
 * <p>
 * Prepared once per build of the jar, in {@code target/it-server}, by whichever test JVM
 * comes first; the other waits on a file lock meanwhile.
 */
final class ServerLayout {

	private static final Path HOME = Path.of("target", "it-server").toAbsolutePath();

	private static final Path LOCK = Path.of("target", "it-server.lock").toAbsolutePath();

	private static List<String> launch;

	private ServerLayout() {
	}

	/**
	 * The command line up to and including the jar; the server's arguments follow it.
	 * Prepares the layout on first use.
	 */
	static synchronized List<String> command() {
		if (launch == null) {
			launch = prepare();
		}
		return launch;
	}

	private static List<String> prepare() {
		Path jar = ServerProcess.jar();
		Path extracted = HOME.resolve("app").resolve(jar.getFileName());
		Path archive = HOME.resolve("app.jsa");
		Path stamp = HOME.resolve("stamp");
		try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				FileLock lock = channel.lock()) {
			String expected = jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar) + " "
					+ System.getProperty("java.home");
			if (!Files.exists(stamp) || !Files.readString(stamp).equals(expected)) {
				ServerProcess.deleteRecursively(HOME);
				Files.createDirectories(HOME);
				run("extract", List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
						HOME.resolve("app").toString()));
				record(extracted, archive);
				Files.writeString(stamp, expected, StandardCharsets.UTF_8);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> command = new ArrayList<>(List.of(java()));
		command.addAll(ServerProcess.JVM_OPTIONS);
		if (Files.exists(archive)) {
			command.add("-XX:SharedArchiveFile=" + archive);
		}
		command.addAll(List.of("-jar", extracted.toString()));
		return List.copyOf(command);
	}

	/**
	 * A start on a new database with the staff realm that ends once the application
	 * context is ready ({@code spring.context.exit=onRefresh}): the classes of a start,
	 * provisioning included, are what the archive holds. That exit leaves the embedded
	 * PostgreSQL running; it is stopped with the directory.
	 */
	private static void record(Path extracted, Path archive) throws IOException {
		Path work = Files.createTempDirectory("hitotsu-it-cds-");
		try {
			List<String> command = new ArrayList<>(List.of(java()));
			command.addAll(ServerProcess.JVM_OPTIONS);
			command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
					extracted.toString(), "--server.port=0", "--server.address=127.0.0.1",
					"--hitotsu.data-dir=" + work.resolve("data"),
					"--hitotsu.realms-dir=" + ServerProcess.testRealms(work, "staff")));
			command.addAll(ServerProcess.TEST_HASHING);
			run("record-class-archive", command);
		}
		finally {
			ServerProcess.cleanUp(work);
		}
	}

	private static void run(String name, List<String> command) throws IOException {
		Path log = HOME.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.start();
		try {
			if (!process.waitFor(ServerProcess.START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor();
				throw new AssertionError("'" + String.join(" ", command) + "' did not finish within "
						+ ServerProcess.START_TIMEOUT + ServerProcess.tail(log));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		if (process.exitValue() != 0) {
			throw new AssertionError("'" + String.join(" ", command) + "' exited with status "
					+ process.exitValue() + ServerProcess.tail(log));
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
