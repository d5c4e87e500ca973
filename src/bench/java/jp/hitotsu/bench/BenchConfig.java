package jp.hitotsu.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What the load driver is told, all through system properties ({@code -Dbench.*}), so the
 * same simulation runs against any OpenID provider: only the issuer and the bench realm's
 * credentials differ. {@code bench/run.sh} sets them; see bench/README.md for the list.
 *
 * @param issuers one issuer per server instance ({@code bench.issuer}, comma-separated); the
 * load goes round-robin over them where the scenario allows (see OidcSimulation)
 * @param serverPids the instances' JVMs ({@code bench.serverPid}, comma-separated)
 */
public record BenchConfig(List<String> issuers, String scenario, Duration warmUp, Duration duration, int users, double rate, Duration rampUp,
		String ccClientId, String ccClientSecret, String ccScope, String webClientId, String webClientSecret,
		String redirectUri, String userPrefix, int userCount, String password, List<Long> serverPids, String pgDataDir,
		String probeOut, int clockTicks, String expectedAlgorithm) {

	public static BenchConfig fromSystemProperties() {
		return new BenchConfig(list(required("bench.issuer")).stream().map((issuer) -> issuer.replaceAll("/+$", "")).toList(),
				get("bench.scenario", "client-credentials"),
				Duration.ofSeconds(Long.parseLong(get("bench.warmUp", "0"))),
				Duration.ofSeconds(Long.parseLong(get("bench.duration", "20"))), Integer.parseInt(get("bench.users", "8")),
				Double.parseDouble(get("bench.rate", "0")), Duration.ofSeconds(Long.parseLong(get("bench.rampUp", "0"))),
				get("bench.cc.clientId", "bench-cc"), required("bench.cc.clientSecret"), get("bench.cc.scope", "api"),
				get("bench.web.clientId", "bench-web"), required("bench.web.clientSecret"),
				get("bench.web.redirectUri", "http://127.0.0.1:9/callback"), get("bench.userPrefix", "bench-user-"),
				Integer.parseInt(get("bench.userCount", "50")), required("bench.password"),
				list(get("bench.serverPid", "0")).stream().map(Long::valueOf).toList(), get("bench.pgDataDir", ""), get("bench.probeOut", ""),
				Integer.parseInt(get("bench.clockTicks", "100")), get("bench.alg", ""));
	}

	/** The first instance's issuer: the one for scenarios that stay on one instance. */
	public String issuer() {
		return this.issuers.get(0);
	}

	/** The first instance's JVM (its memory is what the results show). */
	public long serverPid() {
		return this.serverPids.get(0);
	}

	private static List<String> list(String value) {
		return Arrays.stream(value.split(",")).map(String::trim).filter((item) -> !item.isEmpty()).toList();
	}

	public String username(long n) {
		return this.userPrefix + (1 + Math.floorMod(n, this.userCount));
	}

	private static String get(String name, String fallback) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? fallback : value.trim();
	}

	private static String required(String name) {
		String value = System.getProperty(name);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("system property " + name + " is required (see bench/README.md)");
		}
		return value.trim();
	}

}
