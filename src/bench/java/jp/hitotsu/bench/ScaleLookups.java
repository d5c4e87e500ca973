package jp.hitotsu.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The lookups of issue 4 against the million-account data set of {@code bench/scale.sh}:
 * SCIM filters and the admin user search by username, e-mail, employee number and name
 * prefix, one request at a time (latency, not throughput), each kind with random keys of
 * the generated set. Prints a Markdown table of p50/p95/p99 wall time per kind.
 *
 * <p>System properties: those of {@link BenchConfig} (the admin token comes from a login
 * of {@code bench.adminUser} through the bench web client), {@code bench.base},
 * {@code bench.citizens}, {@code bench.staff}, {@code bench.requests}.
 */
public final class ScaleLookups {

	/** The common family names bench/scale.sh gives 30 % of the accounts (1.5 % each), in its order. */
	static final List<String> FAMILY_NAMES = List.of("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村",
			"小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水");

	private ScaleLookups() {
	}

	public static void main(String[] args) throws Exception {
		BenchConfig config = BenchConfig.fromSystemProperties();
		String base = System.getProperty("bench.base");
		int citizens = Integer.getInteger("bench.citizens", 1_000_000);
		int staff = Integer.getInteger("bench.staff", 170_000);
		int requests = Integer.getInteger("bench.requests", 300);
		String token = DirectLogin.login(Provider.discover(config.issuer()), config, System.getProperty("bench.adminUser"))
			.get("access_token")
			.asText();
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		SplittableRandom random = new SplittableRandom(4);
		String scim = base + "/scim/v2/realms/bench/Users?count=20&filter=";
		String admin = base + "/admin/api/realms/bench/users?limit=20&q=";
		List<Kind> kinds = List.of(
				new Kind("SCIM userName eq", (i) -> scim + encode("userName eq \"" + citizen(random, citizens) + "\"")),
				new Kind("SCIM emails eq", (i) -> scim + encode("emails eq \"" + citizen(random, citizens) + "@example.jp\"")),
				new Kind("SCIM employeeNumber eq", (i) -> scim + encode(
						"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \""
								+ employee(random, staff) + "\"")),
				new Kind("SCIM name.familyName sw, a common name (20 of ~15,000)",
						(i) -> scim + encode("name.familyName sw \"" + family(random) + "\"")),
				new Kind("SCIM familyName sw and givenName sw (~30)", (i) -> scim + encode("name.familyName sw \""
						+ family(random) + "\" and name.givenName sw \"" + given(random) + "\"")),
				new Kind("SCIM userName co, 5 digits (~10)", (i) -> scim + encode("userName co \""
						+ String.format(Locale.ROOT, "%05d", random.nextInt(100_000)) + "\"")),
				new Kind("admin q=username", (i) -> admin + encode(citizen(random, citizens))),
				new Kind("admin q=email", (i) -> admin + encode(citizen(random, citizens) + "@example.jp")),
				new Kind("admin q=employee number", (i) -> admin + encode(employee(random, staff))),
				new Kind("admin q=family name prefix (first 20)", (i) -> admin + encode(family(random))));
		System.out.println("| lookup | p50 ms | p95 ms | p99 ms | results (last) |");
		System.out.println("| --- | ---: | ---: | ---: | ---: |");
		for (Kind kind : kinds) {
			// warm-up: JIT and PostgreSQL plan caches
			for (int i = 0; i < 30; i++) {
				send(http, kind.uri().apply(i), token);
			}
			List<Double> times = new ArrayList<>();
			String last = "";
			for (int i = 0; i < requests; i++) {
				String uri = kind.uri().apply(i);
				long started = System.nanoTime();
				HttpResponse<String> response = send(http, uri, token);
				times.add((System.nanoTime() - started) / 1e6);
				if (response.statusCode() != 200) {
					throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
				}
				last = count(response.body());
			}
			Collections.sort(times);
			System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %s |%n", kind.name(), percentile(times, 50),
					percentile(times, 95), percentile(times, 99), last);
		}
	}

	record Kind(String name, IntFunction<String> uri) {
	}

	static String citizen(SplittableRandom random, int citizens) {
		return String.format(Locale.ROOT, "c%07d", 1 + random.nextInt(citizens));
	}

	static String employee(SplittableRandom random, int staff) {
		return String.format(Locale.ROOT, "E%06d", 1 + random.nextInt(staff));
	}

	static String family(SplittableRandom random) {
		return FAMILY_NAMES.get(random.nextInt(FAMILY_NAMES.size()));
	}

	static String given(SplittableRandom random) {
		return "名" + random.nextInt(500);
	}

	private static String count(String body) {
		int at = body.indexOf("\"totalResults\":");
		if (at >= 0) {
			return body.substring(at + 15, body.indexOf(',', at));
		}
		return String.valueOf(body.split("\"username\"", -1).length - 1);
	}

	private static double percentile(List<Double> sorted, int percent) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
	}

	private static HttpResponse<String> send(HttpClient http, String uri, String token) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(uri))
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
