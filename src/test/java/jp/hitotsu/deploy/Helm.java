package jp.hitotsu.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code helm} v4 binary, run as a user would. It is looked for in the system property
 * {@code hitotsu.helm}, the environment variable {@code HITOTSU_HELM} (set by
 * {@code .ci/run}, which unpacks it from an npm package), then {@code target/helm/helm} and
 * {@code ~/.cache/hitotsu/helm-v4.1.4/helm}. Without it the chart tests are skipped,
 * except under CI, where they fail.
 */
final class Helm {

	static final String VERSION = "v4.1.4";

	private final Path executable;

	/** Helm's own config and cache, kept out of the user's home. */
	private final Path home;

	private Helm(Path executable) {
		this.executable = executable;
		this.home = Path.of("target", "helm-home").toAbsolutePath();
	}

	static Helm locate() {
		List<Path> candidates = new ArrayList<>();
		String property = System.getProperty("hitotsu.helm");
		if (property != null && !property.isBlank()) {
			candidates.add(Path.of(property));
		}
		String env = System.getenv("HITOTSU_HELM");
		if (env != null && !env.isBlank()) {
			candidates.add(Path.of(env));
		}
		candidates.add(Path.of("target", "helm", "helm"));
		candidates.add(Path.of(System.getProperty("user.home"), ".cache", "hitotsu", "helm-" + VERSION, "helm"));
		for (Path candidate : candidates) {
			if (Files.isExecutable(candidate)) {
				return new Helm(candidate.toAbsolutePath());
			}
		}
		String ci = System.getenv("CI");
		if (ci != null && !ci.isBlank()) {
			fail("helm is missing (looked at " + candidates + "): CI must unpack it (see .ci/run)");
		}
		assumeTrue(false, "helm is missing (looked at " + candidates
				+ "): chart tests skipped; .ci/run shows how to get it");
		throw new IllegalStateException("unreachable");
	}

	/** Runs helm with these arguments from the project directory. */
	Result run(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.executable.toString());
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("HELM_CONFIG_HOME", this.home.resolve("config").toString());
		builder.environment().put("HELM_CACHE_HOME", this.home.resolve("cache").toString());
		builder.environment().put("HELM_DATA_HOME", this.home.resolve("data").toString());
		try {
			Process process = builder.start();
			process.getOutputStream().close();
			CompletableFuture<String> out = read(process.getInputStream());
			CompletableFuture<String> err = read(process.getErrorStream());
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("helm did not finish within 60 s: " + command);
			}
			return new Result(process.exitValue(), out.join(), err.join());
		}
		catch (IOException ex) {
			throw new AssertionError("cannot run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private static CompletableFuture<String> read(InputStream stream) {
		return CompletableFuture.supplyAsync(() -> {
			try (stream) {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				return "(unreadable: " + ex + ")";
			}
		});
	}

	record Result(int exitCode, String out, String err) {

		Result assertSucceeded() {
			if (this.exitCode != 0) {
				throw new AssertionError("helm exited with " + this.exitCode + "\n" + this.out + this.err);
			}
			return this;
		}

	}

}
