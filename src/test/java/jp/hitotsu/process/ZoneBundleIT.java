package jp.hitotsu.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directory bundles between two zones as an operator runs them, with the packaged jar:
 * the internet zone prints its bundle key and exports; a process of the {@code mynumber}
 * zone, with its own database and the key pinned in a file, imports into its
 * {@code mynumber} realm, refuses the same bundle again and a tampered one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZoneBundleIT {

	private Path dataDir;

	private Path realms;

	@BeforeAll
	void createDataDir() throws IOException {
		this.dataDir = Files.createTempDirectory("hitotsu-bundle-it-");
		this.realms = ServerProcess.testRealms(this.dataDir, "staff", "mynumber");
	}

	@AfterAll
	void removeData() {
		assertThat(ServerProcess.cleanUp(this.dataDir)).as("PostgreSQL processes left on " + this.dataDir).isEmpty();
	}

	@Test
	void bundleFromInternetZoneAppliesOnceInMyNumberZone() throws IOException {
		ServerProcess.Result key = command("bundle-key", "internet", List.of("bundle-key"));
		Matcher jwk = Pattern.compile("(?m)^\\{.*\"kty\":\"EC\".*}$").matcher(key.output());
		assertThat(jwk.find()).as(key::describe).isTrue();
		Path pinned = this.dataDir.resolve("internet-bundle-key.jwk");
		Files.writeString(pinned, jwk.group(), StandardCharsets.UTF_8);

		Path bundle = this.dataDir.resolve("bundle-1.jws");
		ServerProcess.Result export = command("export-bundle", "internet",
				List.of("export-bundle", "staff", bundle.toString(), "--role=mynumber-operator"));
		assertThat(export.output()).as(export::describe).contains("Wrote bundle 1 (1 accounts");

		List<String> importing = List.of("import-bundle", "mynumber", bundle.toString(),
				"--hitotsu.bundles.imports.mynumber.trusted-keys=" + pinned);
		ServerProcess.Result imported = command("import-bundle", "mynumber", importing);
		assertThat(imported.exitCode()).as(imported::describe).isZero();
		assertThat(imported.output()).containsPattern("\"username\"\\s*:\\s*\"bundle-op-1\"")
			.containsPattern("\"activationCode\"\\s*:\\s*\"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}\"");

		ServerProcess.Result replayed = command("import-bundle-again", "mynumber", importing);
		assertThat(replayed.exitCode()).as(replayed::describe).isEqualTo(1);
		assertThat(replayed.output()).contains("Bundle 1 from key", "is not newer than bundle 1",
				"realm mynumber");

		// one character of the signed payload changed
		String file = Files.readString(bundle, StandardCharsets.US_ASCII);
		int inPayload = file.indexOf('.') + 20;
		char changed = (file.charAt(inPayload) == 'A') ? 'B' : 'A';
		Files.writeString(bundle, file.substring(0, inPayload) + changed + file.substring(inPayload + 1),
				StandardCharsets.US_ASCII);
		ServerProcess.Result tampered = command("import-bundle-tampered", "mynumber", importing);
		assertThat(tampered.exitCode()).as(tampered::describe).isEqualTo(1);
		assertThat(tampered.output()).contains("does not verify");
	}

	private ServerProcess.Result command(String name, String zone, List<String> args) {
		List<String> all = new ArrayList<>(args);
		all.add("--hitotsu.zone=" + zone);
		all.add("--hitotsu.data-dir=" + this.dataDir);
		all.add("--hitotsu.realms-dir=" + this.realms);
		ServerProcess.Result result = ServerProcess.run("bundle-" + name, all, ServerProcess.START_TIMEOUT);
		// the next command opens the same database: its PostgreSQL must be gone
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (!ServerProcess.postgresProcessesUnder(this.dataDir).isEmpty() && System.nanoTime() < deadline) {
			ServerProcess.sleep(Duration.ofMillis(200));
		}
		return result;
	}

}
