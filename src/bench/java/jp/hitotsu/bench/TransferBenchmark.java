package jp.hitotsu.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jp.hitotsu.HitotsuApplication;
import jp.hitotsu.directory.DirectoryService;
import jp.hitotsu.directory.TransferBatches;
import jp.hitotsu.directory.TransferJob;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The 1 April transfer at full size (issue 4: 20,000 people in under 60 s), on a throwaway
 * embedded database with the default run's durability (fsync on): starts the server on a
 * new data directory with the shipped realm files, creates {@code -Dpeople} staff (20,000)
 * with a join batch, then uploads, diffs, schedules and applies a batch that moves every
 * one of them (5 % of them leave instead) and the batch that reverses it, timing each step.
 * Run with {@code bench/transfers.sh}; the data directory is deleted at the end.
 */
public final class TransferBenchmark {

	private static final String REALM = "staff";

	private static final int UNITS = 50;

	private TransferBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int people = Integer.getInteger("people", 20_000);
		Path data = Files.createTempDirectory("hitotsu-transfer-bench");
		// command-line arguments, not default properties: application.yaml's data-dir would win
		// over a default and the benchmark would fill (and find again) ./data
		ConfigurableApplicationContext context = new SpringApplicationBuilder(HitotsuApplication.class)
			.run("--hitotsu.data-dir=" + data, "--server.port=0",
					// the benchmark applies the batches itself, not the background job
					"--hitotsu.directory.transfer-check-interval=1d",
					"--hitotsu.directory.max-transfer-rows=" + people, "--logging.level.root=WARN");
		try {
			run(context, people);
		}
		finally {
			context.close();
			try (Stream<Path> files = Files.walk(data)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	private static void run(ConfigurableApplicationContext context, int people) {
		DirectoryService directory = context.getBean(DirectoryService.class);
		TransferBatches batches = context.getBean(TransferBatches.class);
		TransferJob job = context.getBean(TransferJob.class);
		ZoneId zone = ZoneId.of("Asia/Tokyo");
		LocalDate today = LocalDate.now(zone);
		Instant opened = today.minusDays(1).atStartOfDay(zone).toInstant();
		for (int i = 0; i < UNITS; i++) {
			directory.saveUnit(REALM, new DirectoryService.UnitInput("S" + i, "section", "第" + i + "課",
					"Section " + i, null, opened, null));
		}
		System.out.printf("%d people, %d units, %d cores, Java %s%n", people, UNITS,
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

		StringBuilder joins = new StringBuilder("action,employee_number,primary_unit,effective_date,username,"
				+ "family_name,given_name\n");
		for (int i = 0; i < people; i++) {
			joins.append("join,E%06d,S%d,%s,bench-%06d,職員,%d%n".formatted(i, i % UNITS, today, i, i));
		}
		UUID joined = timed("join batch: upload (validate whole file)",
				() -> batches.upload(REALM, bytes(joins), "bench").id());
		batches.schedule(REALM, joined);
		timed("join batch: apply", job::applyDue);

		StringBuilder moves = new StringBuilder("action,employee_number,primary_unit,post,concurrent_posts,"
				+ "effective_date,job_grade\n");
		for (int i = 0; i < people; i++) {
			if (i % 20 == 19) {
				moves.append("leave,E%06d,,,,%s,%n".formatted(i, today));
			}
			else {
				moves.append("transfer,E%06d,S%d,主査,S%d:兼務,%s,%d%n".formatted(i, (i + 1) % UNITS,
						(i + 2) % UNITS, today, 3 + i % 3));
			}
		}
		UUID moved = timed("transfer batch: upload (validate whole file)",
				() -> batches.upload(REALM, bytes(moves), "bench").id());
		timed("transfer batch: diff", () -> batches.diff(REALM, moved).orElseThrow().changes().size());
		timed("transfer batch: schedule (validate again)", () -> batches.schedule(REALM, moved));
		timed("transfer batch: apply", job::applyDue);
		status(batches, moved);

		UUID reverse = timed("reverse batch: generate (and validate)",
				() -> batches.reverse(REALM, moved, today, "bench").orElseThrow().id());
		batches.schedule(REALM, reverse);
		timed("reverse batch: apply (leavers enabled one by one)", job::applyDue);
		status(batches, reverse);
	}

	private static void status(TransferBatches batches, UUID id) {
		TransferBatches.Batch batch = batches.find(REALM, id).orElseThrow();
		System.out.printf("  batch %s: %s, %d rows%n", id, batch.status(), batch.rows());
		if (!"applied".equals(batch.status())) {
			throw new IllegalStateException("Batch " + id + " did not apply: " + batch.outcome());
		}
	}

	private static <T> T timed(String step, Supplier<T> work) {
		long start = System.nanoTime();
		T result = work.get();
		System.out.printf("%-55s %8.1f s%n", step, (System.nanoTime() - start) / 1e9);
		return result;
	}

	private static byte[] bytes(CharSequence csv) {
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

}
