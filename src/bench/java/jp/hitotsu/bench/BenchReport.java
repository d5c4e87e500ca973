package jp.hitotsu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Turns one Gatling run plus the server probe into a result line, and the result lines of
 * a bench run into the Markdown table. Gatling 3.15 writes its statistics only into the
 * HTML report (its simulation.log is binary), so the figures are read from the report's
 * statistics table: count, OK, KO and the 50/75/95/99th percentiles (gatling.conf).
 *
 * <pre>
 * BenchReport row GATLING_RUN_DIR PROBE_JSON SERVER LABEL SCENARIO READY_SECONDS IDLE_RSS_KB RESULTS_TSV
 * BenchReport table RESULTS_TSV RESULTS_MD
 * </pre>
 */
public final class BenchReport {

	static final List<String> COLUMNS = List.of("server", "label", "scenario", "ops", "opsPerSecond", "p50", "p95", "p99",
			"requests", "errors", "windowSeconds", "jvmCpuSeconds", "pgCpuSeconds", "readySeconds", "rssIdleKb",
			"rssLoadKb", "hwmKb");

	/** The request (or group) whose figures stand for each scenario. */
	static final Map<String, String> MEASURED = Map.of("client-credentials", "token (client_credentials)", "login",
			"login", "refresh", "token (refresh_token)", "introspection", "introspect", "userinfo", "userinfo", "jwks",
			"jwks", "discovery", "discovery");

	private BenchReport() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length == 9 && args[0].equals("row")) {
			row(Path.of(args[1]), Path.of(args[2]), args[3], args[4], args[5], args[6], args[7], Path.of(args[8]));
		}
		else if (args.length == 3 && args[0].equals("table")) {
			Files.writeString(Path.of(args[2]), table(Path.of(args[1])), StandardCharsets.UTF_8);
		}
		else {
			System.err.println("usage: BenchReport row RUN_DIR PROBE SERVER LABEL SCENARIO READY_S IDLE_RSS_KB TSV"
					+ " | table TSV MD");
			System.exit(2);
		}
	}

	record Stats(String name, long total, long ok, long ko, double perSecond, String p50, String p95, String p99) {
	}

	/** The statistics table of a Gatling HTML report, by request or group name. */
	static Map<String, Stats> stats(Path runDir) throws IOException {
		Document report = Jsoup.parse(runDir.resolve("index.html").toFile(), "UTF-8");
		Map<String, Stats> stats = new LinkedHashMap<>();
		Map<String, String> paths = new LinkedHashMap<>();
		for (Element row : report.select("#StatsContainerId tr[id]")) {
			Element name = row.selectFirst(".ellipsed-name");
			if (name == null) {
				continue;
			}
			// a request inside a group is keyed "group / request" (warm-up requests: "warm-up / ...")
			String parent = paths.get(row.attr("data-parent"));
			String path = row.id().equals("ROOT") ? "ALL" : (parent == null ? name.text() : parent + " / " + name.text());
			paths.put(row.id(), row.id().equals("ROOT") ? null : path);
			stats.put(path,
					new Stats(name.text(), number(row, 2), number(row, 3), number(row, 4), decimal(row, 6), cell(row, 8),
							cell(row, 10), cell(row, 11)));
		}
		if (!stats.containsKey("ALL")) {
			throw new IllegalStateException("no statistics table in " + runDir.resolve("index.html"));
		}
		return stats;
	}

	private static String cell(Element row, int column) {
		Element cell = row.selectFirst("td.col-" + column);
		return cell == null ? "-" : cell.text().replace(",", "").trim();
	}

	private static long number(Element row, int column) {
		String text = cell(row, column);
		return text.matches("[0-9]+") ? Long.parseLong(text) : 0;
	}

	private static double decimal(Element row, int column) {
		try {
			return Double.parseDouble(cell(row, column));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	static void row(Path runDir, Path probeFile, String server, String label, String scenario, String ready,
			String idleRss, Path tsv) throws IOException {
		boolean reported = !runDir.toString().isEmpty() && Files.exists(runDir.resolve("index.html"));
		Map<String, Stats> stats = reported ? stats(runDir) : Map.of();
		Stats all = reported ? stats.get("ALL") : new Stats("ALL", 0, 0, 0, 0, "-", "-", "-");
		Stats measured = stats.get(MEASURED.get(scenario));
		JsonNode probe = Files.exists(probeFile) ? Http.JSON.readTree(probeFile.toFile()) : Http.JSON.createObjectNode();
		double window = probe.path("windowSeconds").asDouble(0);
		long ops = measured == null ? 0 : measured.ok();
		double perSecond = window > 0 ? ops / window : (measured == null ? 0 : measured.perSecond());
		Map<String, String> line = new LinkedHashMap<>();
		line.put("server", server);
		line.put("label", label);
		line.put("scenario", scenario);
		line.put("ops", Long.toString(ops));
		line.put("opsPerSecond", String.format(Locale.ROOT, "%.3f", perSecond));
		line.put("p50", measured == null ? "-" : measured.p50());
		line.put("p95", measured == null ? "-" : measured.p95());
		line.put("p99", measured == null ? "-" : measured.p99());
		line.put("requests", Long.toString(all.total()));
		line.put("errors", reported ? Long.toString(all.ko()) : "run failed");
		line.put("windowSeconds", String.format(Locale.ROOT, "%.3f", window));
		line.put("jvmCpuSeconds", String.format(Locale.ROOT, "%.3f", probe.path("jvmCpuSeconds").asDouble(-1)));
		line.put("pgCpuSeconds", String.format(Locale.ROOT, "%.3f", probe.path("pgCpuSeconds").asDouble(-1)));
		line.put("readySeconds", ready);
		line.put("rssIdleKb", idleRss);
		line.put("rssLoadKb", Long.toString(probe.path("rssMaxKb").asLong(0)));
		line.put("hwmKb", Long.toString(probe.path("hwmKb").asLong(0)));
		if (!Files.exists(tsv)) {
			Files.writeString(tsv, String.join("\t", COLUMNS) + "\n");
		}
		Files.writeString(tsv, String.join("\t", line.values()) + "\n", StandardOpenOption.APPEND);
		System.out.println("bench result: " + line);
	}

	static String table(Path tsv) throws IOException {
		List<String> lines = Files.readAllLines(tsv);
		List<Map<String, String>> rows = new ArrayList<>();
		for (String text : lines.subList(1, lines.size())) {
			String[] values = text.split("\t", -1);
			Map<String, String> row = new LinkedHashMap<>();
			for (int i = 0; i < COLUMNS.size(); i++) {
				row.put(COLUMNS.get(i), i < values.length ? values[i] : "");
			}
			rows.add(row);
		}
		// scenario -> server -> row (the last run of a scenario on a server wins)
		Map<String, Map<String, Map<String, String>>> byScenario = new TreeMap<>(
				(a, b) -> Integer.compare(OidcSimulation.SCENARIOS.indexOf(a), OidcSimulation.SCENARIOS.indexOf(b)));
		String hitotsuLabel = "Hitotsu";
		String keycloakLabel = "Keycloak";
		for (Map<String, String> row : rows) {
			byScenario.computeIfAbsent(row.get("scenario"), (k) -> new LinkedHashMap<>()).put(row.get("server"), row);
			if (row.get("server").equals("hitotsu")) {
				hitotsuLabel = row.get("label");
			}
			else {
				keycloakLabel = row.get("label");
			}
		}
		StringBuilder md = new StringBuilder();
		md.append("Servers: H = ").append(hitotsuLabel).append("; K = ").append(keycloakLabel).append(".\n\n");
		md.append("| scenario | H ops/s | K ops/s | H/K | H p50/p95/p99 ms | K p50/p95/p99 ms | errors H/K"
				+ " | H CPU ms/op JVM (+PG) | K CPU ms/op JVM (+PG) | H RSS MB idle/load | K RSS MB idle/load |\n");
		md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
		List<Double> hitotsuReady = new ArrayList<>();
		List<Double> keycloakReady = new ArrayList<>();
		for (var entry : byScenario.entrySet()) {
			Map<String, String> h = entry.getValue().get("hitotsu");
			Map<String, String> k = entry.getValue().get("keycloak");
			md.append("| ").append(entry.getKey());
			md.append(" | ").append(perSecond(h)).append(" | ").append(perSecond(k));
			md.append(" | ").append(ratio(h, k));
			md.append(" | ").append(latency(h)).append(" | ").append(latency(k));
			md.append(" | ").append(get(h, "errors")).append(" / ").append(get(k, "errors"));
			md.append(" | ").append(cpu(h)).append(" | ").append(cpu(k));
			md.append(" | ").append(rss(h)).append(" | ").append(rss(k)).append(" |\n");
			addReady(h, hitotsuReady);
			addReady(k, keycloakReady);
		}
		md.append("\n| start to ready (median of the starts) | H | K | H/K |\n| --- | ---: | ---: | ---: |\n");
		double hr = median(hitotsuReady);
		double kr = median(keycloakReady);
		md.append("| seconds | ").append(hr > 0 ? format(hr) : "-").append(" | ").append(kr > 0 ? format(kr) : "-");
		md.append(" | ").append(hr > 0 && kr > 0 ? String.format(Locale.ROOT, "%.2f", hr / kr) : "-").append(" |\n");
		md.append("""

				ops/s: completed operations (a login is one operation: authorize, redirects, form post, code
				exchange) per second of the measured window; latency of that operation (a login: the sum of its
				requests); errors: every failed request or check of the run (must be 0); CPU ms/op: CPU time
				(user + system) of the server JVM per operation, and in brackets that of the server's PostgreSQL
				processes; RSS: the server JVM's resident memory right after start (idle) and the highest
				sample during the measured window (load).
				""");
		return md.toString();
	}

	private static String perSecond(Map<String, String> row) {
		return row == null ? "-" : format(Double.parseDouble(row.get("opsPerSecond")));
	}

	private static String get(Map<String, String> row, String column) {
		return row == null ? "-" : row.get(column);
	}

	private static String ratio(Map<String, String> h, Map<String, String> k) {
		if (h == null || k == null) {
			return "-";
		}
		double hv = Double.parseDouble(h.get("opsPerSecond"));
		if (hv <= 0) {
			return "-";
		}
		double kv = Double.parseDouble(k.get("opsPerSecond"));
		return kv > 0 ? String.format(Locale.ROOT, "%.2f", hv / kv) : "-";
	}

	private static String latency(Map<String, String> row) {
		return row == null ? "-" : row.get("p50") + " / " + row.get("p95") + " / " + row.get("p99");
	}

	private static String cpu(Map<String, String> row) {
		if (row == null) {
			return "-";
		}
		double ops = Double.parseDouble(row.get("ops"));
		double jvm = Double.parseDouble(row.get("jvmCpuSeconds"));
		double pg = Double.parseDouble(row.get("pgCpuSeconds"));
		if (ops <= 0 || jvm < 0) {
			return "-";
		}
		String text = String.format(Locale.ROOT, "%.2f", jvm * 1000 / ops);
		return pg >= 0 ? text + String.format(Locale.ROOT, " (+%.2f)", pg * 1000 / ops) : text;
	}

	private static String rss(Map<String, String> row) {
		if (row == null) {
			return "-";
		}
		return mb(row.get("rssIdleKb")) + " / " + mb(row.get("rssLoadKb"));
	}

	private static String mb(String kb) {
		try {
			return Long.toString(Math.round(Long.parseLong(kb) / 1024.0));
		}
		catch (NumberFormatException ex) {
			return "-";
		}
	}

	private static void addReady(Map<String, String> row, List<Double> into) {
		if (row != null) {
			try {
				into.add(Double.parseDouble(row.get("readySeconds")));
			}
			catch (NumberFormatException ex) {
				// not measured
			}
		}
	}

	private static double median(List<Double> values) {
		if (values.isEmpty()) {
			return 0;
		}
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
	}

}
