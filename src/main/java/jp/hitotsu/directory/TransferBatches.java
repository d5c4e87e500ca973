package jp.hitotsu.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.directory.DirectoryService.ClientRole;
import jp.hitotsu.directory.DirectoryService.HeldPost;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Transfer batches, the 1 April problem: HR uploads everyone's new posts (and joiners and
 * leavers) as one file, which is checked whole (nothing is kept if one line is wrong),
 * shown as a diff, scheduled, and applied at its date in one transaction by
 * {@link TransferJob}. A batch has one effective date, which begins at
 * {@code hitotsu.directory.transfer-time} in {@code hitotsu.directory.time-zone}.
 */
@Service
public class TransferBatches {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String BATCH_COLUMNS = """
			select id, realm, status, effective_at, row_count, created_by, created_at, changed_at,
			  outcome::text as outcome, reverses
			from transfer_batch""";

	private static final TypeReference<List<TransferRow>> ROWS = new TypeReference<>() {
	};

	private static final int POST_LENGTH = 128;

	private final JdbcClient jdbc;

	private final DirectoryService directory;

	private final AccountService accounts;

	private final AuditTrail audit;

	private final DirectoryProperties properties;

	private final Clock clock;

	TransferBatches(JdbcClient jdbc, DirectoryService directory, AccountService accounts, AuditTrail audit,
			DirectoryProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.directory = directory;
		this.accounts = accounts;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/** What a line of the file asks for. */
	public enum Action {

		/** A member of staff moves to new posts. */
		TRANSFER,
		/** Someone joins: an account is created, with their first posts. */
		JOIN,
		/** Someone leaves: their posts end and their account is disabled. */
		LEAVE,
		/**
		 * Someone is put back: their posts become the ones given (possibly none) and their
		 * account is enabled. What a reverse batch does for movers and leavers.
		 */
		RESTORE;

	}

	/** A post named in the file: a unit's code and, optionally, the post held there. */
	public record PostSpec(String unit, String post) {
	}

	/** One valid line of a batch, as it is kept until it applies. */
	public record TransferRow(int line, Action action, String employeeNumber, String primaryUnit, String post,
			List<PostSpec> concurrentPosts, List<PostSpec> actingPosts, String jobGrade, String username,
			String familyName, String givenName, String familyNameKana, String givenNameKana) {
	}

	/**
	 * A batch as the admin API shows it.
	 * @param status {@code validated} (uploaded, not scheduled), {@code scheduled},
	 * {@code applied}, {@code cancelled} or {@code failed} (a line was no longer valid when
	 * it was due; {@code outcome} says which)
	 */
	public record Batch(UUID id, String realm, String status, LocalDate effectiveDate, Instant effectiveAt, int rows,
			String createdBy, Instant createdAt, Instant changedAt, Object outcome, UUID reverses) {
	}

	/** How one line would change a person. */
	public record Change(int line, Action action, String employeeNumber, Situation before, Situation after,
			List<ClientRole> gainedRoles, List<ClientRole> lostRoles) {
	}

	/** A person's primary unit and every unit, before or after a batch. */
	public record Situation(String org, List<String> orgs) {
	}

	/** The dry run of a batch, against the posts held at its effective time. */
	public record Diff(UUID batch, Instant effectiveAt, List<Change> changes) {
	}

	/**
	 * Reads and checks a batch file and keeps it, {@code validated}. Refused whole, with
	 * every bad line, when any line is bad.
	 */
	@Transactional
	public Batch upload(String realm, byte[] file, String uploadedBy) {
		TransferCsv.Parsed parsed = TransferCsv.parse(file, this.properties.maxTransferRows());
		List<DirectoryError> errors = new ArrayList<>(parsed.errors());
		Checked checked = check(realm, parsed.lines(), errors);
		errors.sort(Comparator.comparing(DirectoryError::line));
		DirectoryService.failIfAny(errors);
		return insert(realm, checked, uploadedBy, null);
	}

	/**
	 * A new batch that puts back everyone an applied batch changed, as they were just before
	 * it applied: movers return to their posts, leavers are enabled again with their posts,
	 * joiners leave (their accounts are disabled, not deleted). It is checked like an
	 * uploaded file (a unit closed since is refused with the line) and kept
	 * {@code validated}, to be looked at and scheduled like any batch.
	 * @param date the reverse batch's effective date, today when absent
	 * @throws TransferStateException when the batch has not applied or a reverse of it is
	 * already validated, scheduled or applied
	 */
	@Transactional
	public Optional<Batch> reverse(String realm, UUID id, LocalDate date, String requestedBy) {
		Optional<Batch> batch = lockedBatch(realm, id);
		if (batch.isEmpty()) {
			return batch;
		}
		requireStatus(batch.get(), Set.of("applied"));
		boolean reversed = this.jdbc.sql("""
				select exists (select 1 from transfer_batch where reverses = :id
				  and status in ('validated', 'scheduled', 'applied'))
				""").param("id", id).query(Boolean.class).single();
		if (reversed) {
			throw new TransferStateException(id, "reversed");
		}
		LocalDate when = (date != null) ? date : LocalDate.now(this.clock.withZone(this.properties.timeZone()));
		List<TransferRow> undo = JSON.readValue(this.jdbc.sql("select undo_rows::text from transfer_batch where id = :id")
			.param("id", id)
			.query(String.class)
			.single(), ROWS);
		List<DirectoryError> errors = new ArrayList<>();
		Checked checked = check(realm, undo.stream().map((row) -> asLine(row, when)).toList(), errors);
		DirectoryService.failIfAny(errors);
		return Optional.of(insert(realm, checked, requestedBy, id));
	}

	private Batch insert(String realm, Checked checked, String createdBy, UUID reverses) {
		Instant now = this.clock.instant();
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into transfer_batch (id, realm, status, effective_at, rows, row_count, created_by, created_at,
				  changed_at, reverses)
				values (:id, :realm, 'validated', :effectiveAt, cast(:rows as jsonb), :count, :by, :now, :now, :reverses)
				""")
			.param("id", id)
			.param("realm", realm)
			.param("effectiveAt", Timestamp.from(effectiveAt(checked.date())))
			.param("rows", JSON.writeValueAsString(checked.rows()))
			.param("count", checked.rows().size())
			.param("by", createdBy)
			.param("now", Timestamp.from(now))
			.param("reverses", reverses)
			.update();
		return find(realm, id).orElseThrow();
	}

	public Optional<Batch> find(String realm, UUID id) {
		return this.jdbc.sql(BATCH_COLUMNS + " where id = :id and realm = :realm")
			.param("id", id)
			.param("realm", realm)
			.query(this::batch)
			.optional();
	}

	/**
	 * The realm's batches, the newest upload first.
	 * @param status only those in this status, or {@code null} for all
	 * @param limit how many at most
	 */
	public List<Batch> list(String realm, String status, int limit) {
		return this.jdbc.sql(BATCH_COLUMNS + """
				 where realm = :realm and (cast(:status as varchar) is null or status = :status)
				order by created_at desc, id limit :limit
				""").param("realm", realm).param("status", status).param("limit", limit).query(this::batch).list();
	}

	private Batch batch(ResultSet rs, int row) throws SQLException {
		Instant effectiveAt = rs.getTimestamp("effective_at").toInstant();
		String outcome = rs.getString("outcome");
		return new Batch(rs.getObject("id", UUID.class), rs.getString("realm"), rs.getString("status"),
				effectiveAt.atZone(this.properties.timeZone()).toLocalDate(), effectiveAt, rs.getInt("row_count"),
				rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("changed_at").toInstant(), (outcome != null) ? JSON.readValue(outcome, Object.class) : null,
				rs.getObject("reverses", UUID.class));
	}

	/**
	 * Who moves, who gains or loses which roles when the batch applies: against the posts
	 * held at its effective time (posts already planned to begin or end by then count).
	 */
	public Optional<Diff> diff(String realm, UUID id) {
		return find(realm, id).map((batch) -> {
			Instant at = batch.effectiveAt();
			Map<String, UUID> units = units(realm).openAt(at);
			List<TransferRow> rows = rows(id);
			Map<String, UUID> accounts = employeeAccounts(realm, rows);
			Map<UUID, List<HeldPost>> posts = this.directory.postsAt(realm, accounts.values(), at);
			List<Change> changes = new ArrayList<>();
			for (TransferRow row : rows) {
				UUID account = (row.action() == Action.JOIN) ? null : accounts.get(row.employeeNumber());
				List<HeldPost> before = (account != null) ? posts.getOrDefault(account, List.of()) : List.of();
				List<HeldPost> after = (row.action() == Action.LEAVE) ? List.of() : newPosts(row, units);
				Set<ClientRole> rolesBefore = new LinkedHashSet<>(
						(account != null) ? this.directory.roles(realm, account, before, null) : List.of());
				Set<ClientRole> rolesAfter = new LinkedHashSet<>((row.action() == Action.LEAVE) ? List.of()
						: this.directory.roles(realm, account, after, null));
				List<ClientRole> gained = rolesAfter.stream().filter((role) -> !rolesBefore.contains(role)).toList();
				List<ClientRole> lost = rolesBefore.stream().filter((role) -> !rolesAfter.contains(role)).toList();
				changes.add(new Change(row.line(), row.action(), row.employeeNumber(), situation(before),
						situation(after), gained, lost));
			}
			return new Diff(id, batch.effectiveAt(), changes);
		});
	}

	/**
	 * A validated batch is to apply at its time. It is checked again first (units or staff
	 * may have changed since the upload).
	 * @return the batch, empty when there is no such batch
	 * @throws TransferStateException when it is not {@code validated}
	 */
	@Transactional
	public Optional<Batch> schedule(String realm, UUID id) {
		Optional<Batch> batch = lockedBatch(realm, id);
		batch.ifPresent((found) -> {
			requireStatus(found, Set.of("validated"));
			recheck(realm, rows(id), found.effectiveDate());
			setStatus(id, "scheduled", null);
		});
		return batch.flatMap((found) -> find(realm, id));
	}

	/**
	 * A batch that has not applied yet will not.
	 * @throws TransferStateException when it has applied, failed or is cancelled already
	 */
	@Transactional
	public Optional<Batch> cancel(String realm, UUID id) {
		Optional<Batch> batch = lockedBatch(realm, id);
		batch.ifPresent((found) -> {
			requireStatus(found, Set.of("validated", "scheduled"));
			setStatus(id, "cancelled", null);
		});
		return batch.flatMap((found) -> find(realm, id));
	}

	/** The scheduled batches due at {@code now}, oldest first; rows another instance holds are skipped. */
	Optional<UUID> lockNextDue(Instant now) {
		return this.jdbc.sql("""
				select id from transfer_batch where status = 'scheduled' and effective_at <= :now
				order by effective_at, created_at limit 1 for update skip locked
				""").param("now", Timestamp.from(now)).query(UUID.class).optional();
	}

	/**
	 * Applies a batch, in the caller's transaction: posts end and begin at the batch's
	 * effective time, joiners get accounts, leavers are disabled (which ends their grants,
	 * consents and logins), people put back are enabled. A batch with a line that is no
	 * longer valid applies nothing and is marked {@code failed}, with the lines.
	 *
	 * <p>
	 * Set-based: the posts of everyone in the batch end, and the new ones begin, in a few
	 * statements over arrays whatever the number of rows, and so are the joiners' accounts
	 * and staff records and everyone's audit events; only leavers and people put back go
	 * one by one, through the account feature's door. What everyone held just
	 * before is kept as the rows of the batch that would reverse this one.
	 */
	void apply(UUID id) {
		String realm = this.jdbc.sql("select realm from transfer_batch where id = :id")
			.param("id", id)
			.query(String.class)
			.single();
		Instant at = this.jdbc.sql("select effective_at from transfer_batch where id = :id")
			.param("id", id)
			.query(Timestamp.class)
			.single()
			.toInstant();
		List<TransferRow> rows = rows(id);
		List<DirectoryError> errors = new ArrayList<>();
		LocalDate date = at.atZone(this.properties.timeZone()).toLocalDate();
		check(realm, rows.stream().map((row) -> asLine(row, date)).toList(), errors, false);
		if (!errors.isEmpty()) {
			setStatus(id, "failed", Map.of("errors", errors));
			return;
		}
		Map<String, UUID> units = units(realm).openAt(at);
		Map<String, UUID> accounts = employeeAccounts(realm, rows);
		Map<UUID, List<HeldPost>> before = this.directory.postsAt(realm, accounts.values(), at);
		Map<UUID, String> grades = jobGrades(accounts.values());
		join(realm, rows.stream().filter((row) -> row.action() == Action.JOIN).toList(), id)
			.forEach(accounts::put);
		String[] everyone = accounts.values().stream().map(UUID::toString).toArray(String[]::new);
		this.directory.endPosts(everyone, at);
		insertPosts(rows, accounts, units, at);
		updateJobGrades(rows, accounts);
		List<TransferRow> undo = new ArrayList<>();
		List<AuditEvent> applied = new ArrayList<>();
		for (TransferRow row : rows) {
			UUID account = accounts.get(row.employeeNumber());
			boolean wasDisabled = switch (row.action()) {
				case LEAVE -> {
					this.accounts.disable(realm, account, "left (transfer batch " + id + ")");
					yield false;
				}
				case RESTORE -> this.accounts.enable(realm, account, "put back (transfer batch " + id + ")");
				case TRANSFER, JOIN -> false;
			};
			undo.add(undo(row, before.getOrDefault(account, List.of()), grades.get(account), wasDisabled));
			applied.add(AuditEvent.of(realm, AuditEventType.TRANSFER_APPLIED)
				.subject(account.toString())
				.detail("batch", id.toString())
				.detail("line", row.line())
				.detail("action", row.action().name().toLowerCase(Locale.ROOT))
				.detail("employeeNumber", row.employeeNumber())
				.detail("primaryUnit", row.primaryUnit())
				.build());
		}
		this.audit.recordAll(applied);
		this.jdbc.sql("update transfer_batch set undo_rows = cast(:undo as jsonb) where id = :id")
			.param("undo", JSON.writeValueAsString(undo))
			.param("id", id)
			.update();
		setStatus(id, "applied", Map.of("rows", rows.size()));
	}

	/**
	 * The row that puts a person back as they were before {@code row} applied: a joiner
	 * leaves, someone who was disabled before being put back is disabled again, anyone else
	 * returns to the posts (and job grade) held just before.
	 */
	private static TransferRow undo(TransferRow row, List<HeldPost> before, String grade, boolean wasDisabled) {
		if (row.action() == Action.JOIN || wasDisabled) {
			return new TransferRow(row.line(), Action.LEAVE, row.employeeNumber(), null, null, List.of(), List.of(),
					null, null, null, null, null, null);
		}
		HeldPost primary = before.stream().filter((post) -> post.kind() == AssignmentKind.PRIMARY).findFirst().orElse(null);
		return new TransferRow(row.line(), Action.RESTORE, row.employeeNumber(),
				(primary != null) ? primary.unitCode() : null, (primary != null) ? primary.post() : null,
				postSpecs(before, AssignmentKind.CONCURRENT), postSpecs(before, AssignmentKind.ACTING),
				(row.jobGrade() != null) ? grade : null, null, null, null, null, null);
	}

	private static List<PostSpec> postSpecs(List<HeldPost> posts, AssignmentKind kind) {
		return posts.stream().filter((post) -> post.kind() == kind).map((post) -> new PostSpec(post.unitCode(), post.post())).toList();
	}

	/**
	 * The joiners' accounts (enabled, no password) and staff records, each in one statement
	 * whatever their number: one by one, a batch of 20,000 took minutes.
	 * @return the new account of each joiner's employee number
	 */
	private Map<String, UUID> join(String realm, List<TransferRow> joiners, UUID batch) {
		List<UUID> created = this.accounts.createAll(realm, joiners.stream()
			.map((row) -> new AccountService.NewAccount(row.username(), row.familyName(), row.givenName()))
			.toList(), "joined (transfer batch " + batch + ")");
		this.directory.insertStaff(realm, created, joiners.stream()
			.map((row) -> new DirectoryService.StaffInput(row.employeeNumber(), row.familyName(), row.givenName(),
					row.familyNameKana(), row.givenNameKana(), null, row.jobGrade()))
			.toList());
		Map<String, UUID> accounts = new HashMap<>();
		for (int i = 0; i < joiners.size(); i++) {
			accounts.put(joiners.get(i).employeeNumber(), created.get(i));
		}
		return accounts;
	}

	/** The accounts of the batch's employee numbers (joiners have none yet). */
	private Map<String, UUID> employeeAccounts(String realm, List<TransferRow> rows) {
		Map<String, UUID> accounts = new HashMap<>();
		this.jdbc.sql("""
				select employee_number, account_id from staff where realm = :realm and employee_number = any(:numbers)
				""")
			.param("realm", realm)
			.param("numbers", rows.stream().map(TransferRow::employeeNumber).toArray(String[]::new))
			.query((rs, n) -> accounts.put(rs.getString(1), rs.getObject(2, UUID.class)))
			.list();
		return accounts;
	}

	private Map<UUID, String> jobGrades(Collection<UUID> accounts) {
		Map<UUID, String> grades = new HashMap<>();
		this.jdbc.sql("select account_id, job_grade from staff where account_id = any(cast(:accounts as uuid[]))")
			.param("accounts", accounts.stream().map(UUID::toString).toArray(String[]::new))
			.query((rs, n) -> grades.put(rs.getObject(1, UUID.class), rs.getString(2)))
			.list();
		return grades;
	}

	/** Every new post of the batch, from {@code at}, in one statement. */
	private void insertPosts(List<TransferRow> rows, Map<String, UUID> accounts, Map<String, UUID> units,
			Instant at) {
		List<String> ids = new ArrayList<>();
		List<String> holders = new ArrayList<>();
		List<String> unitIds = new ArrayList<>();
		List<String> kinds = new ArrayList<>();
		List<String> titles = new ArrayList<>();
		for (TransferRow row : rows) {
			if (row.action() == Action.LEAVE) {
				continue;
			}
			for (HeldPost post : newPosts(row, units)) {
				ids.add(UUID.randomUUID().toString());
				holders.add(accounts.get(row.employeeNumber()).toString());
				unitIds.add(post.unitId().toString());
				kinds.add(post.kind().key());
				titles.add(post.post());
			}
		}
		this.jdbc.sql("""
				insert into assignment (id, account_id, unit_id, kind, post, valid_from, valid_to)
				select cast(p.id as uuid), cast(p.account as uuid), cast(p.unit as uuid), p.kind, p.post, :at, null
				from unnest(cast(:ids as text[]), cast(:accounts as text[]), cast(:units as text[]),
				  cast(:kinds as text[]), cast(:posts as text[])) as p (id, account, unit, kind, post)
				""")
			.param("ids", ids.toArray(String[]::new))
			.param("accounts", holders.toArray(String[]::new))
			.param("units", unitIds.toArray(String[]::new))
			.param("kinds", kinds.toArray(String[]::new))
			.param("posts", titles.toArray(String[]::new))
			.param("at", Timestamp.from(at))
			.update();
	}

	private void updateJobGrades(List<TransferRow> rows, Map<String, UUID> accounts) {
		List<TransferRow> graded = rows.stream()
			.filter((row) -> row.action() != Action.JOIN && row.jobGrade() != null)
			.toList();
		this.jdbc.sql("""
				update staff s set job_grade = g.grade
				from unnest(cast(:accounts as uuid[]), cast(:grades as text[])) as g (account, grade)
				where s.account_id = g.account
				""")
			.param("accounts", graded.stream().map((row) -> accounts.get(row.employeeNumber()).toString()).toArray(String[]::new))
			.param("grades", graded.stream().map(TransferRow::jobGrade).toArray(String[]::new))
			.update();
	}

	private record Checked(LocalDate date, List<TransferRow> rows) {
	}

	private Checked check(String realm, List<TransferCsv.Line> lines, List<DirectoryError> errors) {
		return check(realm, lines, errors, true);
	}

	/**
	 * Checks every line against the directory, adding one error per problem found.
	 * @param refusePast whether a date before today is an error (not when a due batch applies)
	 */
	private Checked check(String realm, List<TransferCsv.Line> lines, List<DirectoryError> errors,
			boolean refusePast) {
		LocalDate today = LocalDate.now(this.clock.withZone(this.properties.timeZone()));
		// units must be open when the batch applies, not merely now
		LocalDate firstDate = lines.stream()
			.map((line) -> parseDate(line.get(TransferCsv.EFFECTIVE_DATE)))
			.filter((date) -> date != null)
			.findFirst()
			.orElse(today);
		Instant applies = effectiveAt(firstDate);
		RealmUnits realmUnits = units(realm);
		Map<String, Integer> employeeLines = new HashMap<>();
		Map<String, Integer> usernameLines = new HashMap<>();
		Set<String> employees = existingEmployees(realm, lines);
		Set<String> takenUsernames = this.accounts.existingUsernames(realm, lines.stream()
			.map((line) -> line.get(TransferCsv.USERNAME))
			.filter((username) -> username != null)
			.toList());
		LocalDate batchDate = null;
		Integer batchDateLine = null;
		List<TransferRow> rows = new ArrayList<>();
		for (TransferCsv.Line line : lines) {
			int n = line.number();
			int before = errors.size();
			Action action = null;
			String actionValue = line.get(TransferCsv.ACTION);
			try {
				action = (actionValue != null) ? Action.valueOf(actionValue.toUpperCase(Locale.ROOT)) : null;
			}
			catch (IllegalArgumentException ex) {
				// reported below
			}
			if (action == null) {
				errors.add(DirectoryError.line(n, TransferCsv.ACTION, "not-one-of", actionValue,
						"transfer, join, leave, restore"));
			}
			String number = line.get(TransferCsv.EMPLOYEE_NUMBER);
			List<DirectoryError> numberErrors = new ArrayList<>();
			DirectoryService.checkEmployeeNumber(numberErrors, TransferCsv.EMPLOYEE_NUMBER, number);
			numberErrors.forEach((error) -> errors.add(atLine(n, error)));
			if (numberErrors.isEmpty()) {
				Integer first = employeeLines.putIfAbsent(number, n);
				if (first != null) {
					errors.add(DirectoryError.line(n, TransferCsv.EMPLOYEE_NUMBER, "duplicate-row", number, first));
				}
				else if (action == Action.JOIN && employees.contains(number)) {
					errors.add(DirectoryError.line(n, TransferCsv.EMPLOYEE_NUMBER, "employee-number-taken", number));
				}
				else if (action != null && action != Action.JOIN && !employees.contains(number)) {
					errors.add(DirectoryError.line(n, TransferCsv.EMPLOYEE_NUMBER, "unknown-employee", number));
				}
			}
			String dateValue = line.get(TransferCsv.EFFECTIVE_DATE);
			LocalDate date = parseDate(dateValue);
			if (date == null) {
				errors.add(DirectoryError.line(n, TransferCsv.EFFECTIVE_DATE, "date", dateValue));
			}
			else if (refusePast && date.isBefore(today)) {
				errors.add(DirectoryError.line(n, TransferCsv.EFFECTIVE_DATE, "date-past", dateValue, today));
			}
			else if (batchDate == null) {
				batchDate = date;
				batchDateLine = n;
			}
			else if (!date.equals(batchDate)) {
				errors.add(DirectoryError.line(n, TransferCsv.EFFECTIVE_DATE, "one-date", dateValue, batchDate,
						batchDateLine));
			}
			List<PostSpec> concurrent = postSpecs(n, line, TransferCsv.CONCURRENT_POSTS, realmUnits, applies, errors);
			List<PostSpec> acting = postSpecs(n, line, TransferCsv.ACTING_POSTS, realmUnits, applies, errors);
			String primary = line.get(TransferCsv.PRIMARY_UNIT);
			String post = line.get(TransferCsv.POST);
			if (post != null && post.length() > POST_LENGTH) {
				errors.add(DirectoryError.line(n, TransferCsv.POST, "length", 1, POST_LENGTH));
			}
			if (action == Action.LEAVE) {
				for (String column : List.of(TransferCsv.PRIMARY_UNIT, TransferCsv.POST, TransferCsv.CONCURRENT_POSTS,
						TransferCsv.ACTING_POSTS, TransferCsv.USERNAME)) {
					if (line.get(column) != null) {
						errors.add(DirectoryError.line(n, column, "not-for-leave", column));
					}
				}
			}
			else if (action != null) {
				// a person put back may have held no primary post
				if (primary == null && action != Action.RESTORE) {
					errors.add(DirectoryError.line(n, TransferCsv.PRIMARY_UNIT, "required"));
				}
				else if (primary != null) {
					realmUnits.check(primary, applies, firstDate)
						.ifPresent((error) -> errors.add(atLine(n, error.withField(TransferCsv.PRIMARY_UNIT))));
				}
			}
			if (action == Action.JOIN) {
				String username = line.get(TransferCsv.USERNAME);
				if (username == null) {
					errors.add(DirectoryError.line(n, TransferCsv.USERNAME, "required"));
				}
				else {
					String key = AccountService.normalizeUsername(username);
					Integer first = usernameLines.putIfAbsent(key, n);
					if (takenUsernames.contains(key)) {
						errors.add(DirectoryError.line(n, TransferCsv.USERNAME, "username-taken", username));
					}
					else if (first != null) {
						errors.add(DirectoryError.line(n, TransferCsv.USERNAME, "duplicate-row", username, first));
					}
				}
				for (String column : List.of(TransferCsv.FAMILY_NAME, TransferCsv.GIVEN_NAME)) {
					if (line.get(column) == null) {
						errors.add(DirectoryError.line(n, column, "required"));
					}
				}
			}
			for (String column : List.of(TransferCsv.FAMILY_NAME, TransferCsv.GIVEN_NAME, TransferCsv.FAMILY_NAME_KANA,
					TransferCsv.GIVEN_NAME_KANA, TransferCsv.JOB_GRADE, TransferCsv.USERNAME)) {
				List<DirectoryError> nameErrors = new ArrayList<>();
				DirectoryService.checkName(nameErrors, column, line.get(column), false);
				nameErrors.forEach((error) -> errors.add(atLine(n, error)));
			}
			if (errors.size() == before) {
				rows.add(new TransferRow(n, action, number, primary, post, concurrent, acting,
						line.get(TransferCsv.JOB_GRADE), line.get(TransferCsv.USERNAME),
						line.get(TransferCsv.FAMILY_NAME), line.get(TransferCsv.GIVEN_NAME),
						line.get(TransferCsv.FAMILY_NAME_KANA), line.get(TransferCsv.GIVEN_NAME_KANA)));
			}
		}
		return new Checked(batchDate, rows);
	}

	private void recheck(String realm, List<TransferRow> rows, LocalDate date) {
		List<DirectoryError> errors = new ArrayList<>();
		check(realm, rows.stream().map((row) -> asLine(row, date)).toList(), errors);
		DirectoryService.failIfAny(errors);
	}

	/** A kept row as the line it came from, to check it again. */
	private static TransferCsv.Line asLine(TransferRow row, LocalDate date) {
		Map<String, String> values = new HashMap<>();
		values.put(TransferCsv.EFFECTIVE_DATE, date.toString());
		values.put(TransferCsv.ACTION, row.action().name().toLowerCase(Locale.ROOT));
		values.put(TransferCsv.EMPLOYEE_NUMBER, row.employeeNumber());
		values.put(TransferCsv.PRIMARY_UNIT, row.primaryUnit());
		values.put(TransferCsv.POST, row.post());
		values.put(TransferCsv.CONCURRENT_POSTS, postsColumn(row.concurrentPosts()));
		values.put(TransferCsv.ACTING_POSTS, postsColumn(row.actingPosts()));
		values.put(TransferCsv.JOB_GRADE, row.jobGrade());
		values.put(TransferCsv.USERNAME, row.username());
		values.put(TransferCsv.FAMILY_NAME, row.familyName());
		values.put(TransferCsv.GIVEN_NAME, row.givenName());
		values.put(TransferCsv.FAMILY_NAME_KANA, row.familyNameKana());
		values.put(TransferCsv.GIVEN_NAME_KANA, row.givenNameKana());
		return new TransferCsv.Line(row.line(), values);
	}

	private static String postsColumn(List<PostSpec> posts) {
		return String.join(";", posts.stream()
			.map((post) -> (post.post() != null) ? post.unit() + ":" + post.post() : post.unit())
			.toList());
	}

	/** {@code UNIT} or {@code UNIT:post}, separated by {@code ;}. */
	private List<PostSpec> postSpecs(int n, TransferCsv.Line line, String column, RealmUnits units, Instant at,
			List<DirectoryError> errors) {
		String value = line.get(column);
		if (value == null) {
			return List.of();
		}
		List<PostSpec> posts = new ArrayList<>();
		for (String item : value.split(";")) {
			String[] parts = item.strip().split(":", 2);
			String unit = parts[0].strip();
			String post = (parts.length > 1 && !parts[1].isBlank()) ? parts[1].strip() : null;
			Optional<DirectoryError> closed = units.check(unit, at, at.atZone(this.properties.timeZone()).toLocalDate());
			if (closed.isPresent()) {
				errors.add(atLine(n, closed.get().withField(column)));
			}
			else if (post != null && post.length() > POST_LENGTH) {
				errors.add(DirectoryError.line(n, column, "length", 1, POST_LENGTH));
			}
			else {
				posts.add(new PostSpec(unit, post));
			}
		}
		return posts;
	}

	private static DirectoryError atLine(int line, DirectoryError error) {
		return new DirectoryError(line, error.field(), error.code(), error.arguments());
	}

	private static List<HeldPost> newPosts(TransferRow row, Map<String, UUID> units) {
		List<HeldPost> posts = new ArrayList<>();
		if (row.primaryUnit() != null) {
			posts.add(new HeldPost(units.get(row.primaryUnit()), row.primaryUnit(), AssignmentKind.PRIMARY, row.post()));
		}
		row.concurrentPosts()
			.forEach((post) -> posts
				.add(new HeldPost(units.get(post.unit()), post.unit(), AssignmentKind.CONCURRENT, post.post())));
		row.actingPosts()
			.forEach((post) -> posts
				.add(new HeldPost(units.get(post.unit()), post.unit(), AssignmentKind.ACTING, post.post())));
		return posts;
	}

	private static Situation situation(List<HeldPost> posts) {
		String primary = posts.stream()
			.filter((post) -> post.kind() == AssignmentKind.PRIMARY)
			.map(HeldPost::unitCode)
			.findFirst()
			.orElse(null);
		return new Situation(primary, posts.stream().map(HeldPost::unitCode).distinct().toList());
	}

	private record Period(UUID id, Instant from, Instant to) {

		boolean openAt(Instant at) {
			return !at.isBefore(this.from) && (this.to == null || this.to.isAfter(at));
		}

	}

	/** Every unit of a realm with its period, by code. */
	private record RealmUnits(Map<String, Period> byCode) {

		Map<String, UUID> openAt(Instant at) {
			Map<String, UUID> open = new HashMap<>();
			this.byCode.forEach((code, period) -> {
				if (period.openAt(at)) {
					open.put(code, period.id());
				}
			});
			return open;
		}

		/** Why a unit cannot be used at {@code at}, if it cannot. */
		Optional<DirectoryError> check(String code, Instant at, LocalDate date) {
			Period period = this.byCode.get(code);
			if (period == null) {
				return Optional.of(DirectoryError.field(null, "unknown-unit", code));
			}
			return period.openAt(at) ? Optional.empty()
					: Optional.of(DirectoryError.field(null, "unit-not-open-on", code, date));
		}

	}

	private RealmUnits units(String realm) {
		Map<String, Period> units = new HashMap<>();
		this.jdbc.sql("select code, id, valid_from, valid_to from org_unit where realm = :realm")
			.param("realm", realm)
			.query((rs, row) -> units.put(rs.getString("code"), new Period(rs.getObject("id", UUID.class),
					rs.getTimestamp("valid_from").toInstant(),
					(rs.getTimestamp("valid_to") != null) ? rs.getTimestamp("valid_to").toInstant() : null)))
			.list();
		return new RealmUnits(units);
	}

	private static LocalDate parseDate(String value) {
		try {
			return (value != null) ? LocalDate.parse(value) : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private Set<String> existingEmployees(String realm, List<TransferCsv.Line> lines) {
		String[] numbers = lines.stream()
			.map((line) -> line.get(TransferCsv.EMPLOYEE_NUMBER))
			.filter((number) -> number != null)
			.toArray(String[]::new);
		return new HashSet<>(this.jdbc
			.sql("select employee_number from staff where realm = :realm and employee_number = any(:numbers)")
			.param("realm", realm)
			.param("numbers", numbers)
			.query(String.class)
			.list());
	}

	private List<TransferRow> rows(UUID id) {
		return JSON.readValue(this.jdbc.sql("select rows::text from transfer_batch where id = :id")
			.param("id", id)
			.query(String.class)
			.single(), ROWS);
	}

	private Optional<Batch> lockedBatch(String realm, UUID id) {
		boolean exists = this.jdbc.sql("select id from transfer_batch where id = :id and realm = :realm for update")
			.param("id", id)
			.param("realm", realm)
			.query(UUID.class)
			.optional()
			.isPresent();
		return exists ? find(realm, id) : Optional.empty();
	}

	private static void requireStatus(Batch batch, Set<String> allowed) {
		if (!allowed.contains(batch.status())) {
			throw new TransferStateException(batch.id(), batch.status());
		}
	}

	private void setStatus(UUID id, String status, Object outcome) {
		this.jdbc.sql("""
				update transfer_batch set status = :status, changed_at = :now, outcome = cast(:outcome as jsonb)
				where id = :id
				""")
			.param("status", status)
			.param("now", Timestamp.from(this.clock.instant()))
			.param("outcome", (outcome != null) ? JSON.writeValueAsString(outcome) : null)
			.param("id", id)
			.update();
	}

	private Instant effectiveAt(LocalDate date) {
		return date.atTime(this.properties.transferTime()).atZone(this.properties.timeZone()).toInstant();
	}

}
