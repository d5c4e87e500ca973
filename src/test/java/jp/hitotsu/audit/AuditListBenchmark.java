package jp.hitotsu.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Not a test: {@code bench/audit-list.sh} runs this main. It fills a throw-away embedded
 * PostgreSQL, migrated like the server's, with N audit events (default 10 million,
 * generate_series, 80 % in one realm), then times the admin API's list query
 * ({@link AuditTrail#search}, the statement the endpoint runs) for typical filtered pages:
 * p50 and p95 over 200 pages each, after a warm-up. The figures go to docs/benchmarks.md.
 */
public final class AuditListBenchmark {

	private static final String BIG = "citizen";

	private static final int SUBJECTS = 200_000;

	private AuditListBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		long events = (args.length > 0) ? Long.parseLong(args[0]) : 10_000_000L;
		Path dir = Files.createTempDirectory("hitotsu-audit-bench");
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(dir)
			.setCleanDataDirectory(true)
			.setServerConfig("shared_buffers", "256MB")
			.setServerConfig("max_wal_size", "4GB")
			.start()) {
			DataSource dataSource = postgres.getPostgresDatabase();
			Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
			JdbcClient jdbc = JdbcClient.create(dataSource);
			Instant end = Instant.now();
			seed(jdbc, events, end);
			AuditTrail trail = new AuditTrail(jdbc, Clock.systemUTC(), null, null, null);
			Random random = new Random(42);
			System.out.printf("%n| page (limit 50, realm %s: %,d events) | p50 ms | p95 ms | rows |%n", BIG,
					events * 8 / 10);
			System.out.println("| --- | ---: | ---: | ---: |");
			measure("newest, no filter", trail, (i) -> query(null, null, null, null, null, null));
			measure("one subject", trail,
					(i) -> query(null, null, "subject-" + random.nextInt(SUBJECTS), null, null, null));
			measure("type LOGIN_FAILED", trail,
					(i) -> query(null, null, null, AuditEventType.LOGIN_FAILED, null, null));
			measure("rare type ADMIN_CHANGE (0.01 %)", trail,
					(i) -> query(null, null, null, AuditEventType.ADMIN_CHANGE, null, null));
			measure("client + outcome failure", trail, (i) -> query(null, null, null, null,
					"client-" + random.nextInt(50), AuditEvent.Outcome.FAILURE));
			measure("one hour, 30-60 days ago", trail, (i) -> {
				Instant from = end.minus(Duration.ofDays(30 + random.nextInt(30)));
				return query(from, from.plus(Duration.ofHours(1)), null, null, null, null);
			});
			measure("subject + type TOKEN_ISSUED", trail, (i) -> query(null, null,
					"subject-" + random.nextInt(SUBJECTS), AuditEventType.TOKEN_ISSUED, null, null));
			deepPages(trail);
		}
	}

	private static AuditQuery query(Instant from, Instant to, String subject, AuditEventType type, String client,
			AuditEvent.Outcome outcome) {
		return new AuditQuery(BIG, from, to, subject, type, client, outcome, null, 50);
	}

	/**
	 * 80 % of the events in one realm, 20 % in another, over 90 days; eight event types
	 * (ADMIN_CHANGE one in 10,000), 200,000 subjects, 50 clients, one failure in 20; sealed
	 * like real events (positions and hashes). Indexes are dropped during the insert and
	 * built again from their own definitions, as a bulk load would.
	 */
	private static void seed(JdbcClient jdbc, long events, Instant end) {
		long started = System.nanoTime();
		// the definitions are kept in the database and replayed there, quoted by PostgreSQL itself
		jdbc.sql("""
				create table bench_audit_index as
				select indexname, indexdef from pg_indexes where tablename = 'audit_event' and indexname <> 'audit_event_pkey'
				""").update();
		jdbc.sql("""
				do $$ declare i record; begin
				  for i in select indexname from bench_audit_index loop execute format('drop index %I', i.indexname); end loop;
				end $$
				""").update();
		long big = events * 8 / 10;
		insert(jdbc, BIG, big, end);
		insert(jdbc, "staff", events - big, end);
		long inserted = System.nanoTime();
		jdbc.sql("""
				do $$ declare i record; begin
				  for i in select indexdef from bench_audit_index loop execute i.indexdef; end loop;
				end $$
				""").update();
		jdbc.sql("analyze audit_event").update();
		System.out.printf("seeded %,d events in %d s, indexes in %d s; table + indexes %s%n", events,
				Duration.ofNanos(inserted - started).toSeconds(), Duration.ofNanos(System.nanoTime() - inserted)
					.toSeconds(),
				jdbc.sql("select pg_size_pretty(pg_total_relation_size('audit_event'))").query(String.class).single());
	}

	private static void insert(JdbcClient jdbc, String realm, long count, Instant end) {
		jdbc.sql("""
				insert into audit_event (occurred_at, realm, type, outcome, subject, client_id, ip_address, user_agent,
				  details, chain_position, hash)
				select cast(:end as timestamptz) - interval '90 days' + g * (interval '90 days' / :count), :realm,
				  case when g % 10000 = 0 then 'ADMIN_CHANGE'
				    else (array['LOGIN', 'TOKEN_ISSUED', 'TOKEN_REFRESHED', 'TOKEN_ISSUED', 'LOGIN_FAILED', 'LOGOUT',
				      'TOKEN_ISSUED', 'LOGIN_FACTOR'])[1 + g % 8] end,
				  case when g % 20 = 0 then 'failure' else 'success' end,
				  'subject-' || (g * 7919 % :subjects), 'client-' || (g % 50), '10.0.' || (g % 250) || '.' || (g % 200),
				  'Mozilla/5.0 (bench)', '{"bench": true}', g, sha256(int8send(g))
				from generate_series(1, :count) as g
				""")
			.param("end", end.toString())
			.param("count", count)
			.param("realm", realm)
			.param("subjects", SUBJECTS)
			.update();
	}

	private static void measure(String name, AuditTrail trail, IntFunction<AuditQuery> queries) {
		for (int i = 0; i < 20; i++) {
			trail.search(queries.apply(i));
		}
		List<Long> times = new ArrayList<>();
		long rows = 0;
		for (int i = 0; i < 200; i++) {
			AuditQuery query = queries.apply(i);
			long start = System.nanoTime();
			rows += trail.search(query).events().size();
			times.add(System.nanoTime() - start);
		}
		report(name, times, rows / 200.0);
	}

	/** Page after page through the big realm with the cursor: each page costs the same. */
	private static void deepPages(AuditTrail trail) {
		AuditQuery.Cursor cursor = null;
		List<Long> times = new ArrayList<>();
		for (int page = 0; page < 1000; page++) {
			long start = System.nanoTime();
			AuditTrail.AuditPage result = trail.search(new AuditQuery(BIG, null, null, null, null, null, null, cursor,
					50));
			if (page >= 20) {
				times.add(System.nanoTime() - start);
			}
			cursor = result.next();
		}
		report("pages 21-1000 following `next`", times, 50);
	}

	private static void report(String name, List<Long> nanos, double rows) {
		List<Long> sorted = nanos.stream().sorted().toList();
		System.out.printf("| %s | %.2f | %.2f | %.0f |%n", name, sorted.get(sorted.size() / 2) / 1e6,
				sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1) / 1e6, rows);
	}

}
