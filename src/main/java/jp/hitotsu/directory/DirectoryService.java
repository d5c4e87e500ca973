package jp.hitotsu.directory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The directory: organisation units, staff data, effective-dated assignments and the
 * roles they bring. The door other features use. "Now" is the server's {@link Clock}.
 */
@Service
public class DirectoryService {

	static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	private static final int NAME_LENGTH = 255;

	private static final int POST_LENGTH = 128;

	private static final int EMPLOYEE_NUMBER_LENGTH = 32;

	/** Deepest organisation tree followed: far beyond bureau, department, section, unit. */
	static final int MAX_DEPTH = 16;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final OrgUnits units;

	DirectoryService(JdbcClient jdbc, Clock clock, OrgUnits units) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.units = units;
	}

	/**
	 * An organisation unit, created or (same code) replaced.
	 * @param parent the code of the unit above, {@code null} at the top
	 * @param validFrom when the unit starts to exist; {@code null} for now
	 * @param validTo when it is closed; {@code null} while it is not
	 */
	public record UnitInput(String code, String kind, String nameJa, String nameEn, String parent, Instant validFrom,
			Instant validTo) {
	}

	/** Staff data of an account; names as given, any Unicode. */
	public record StaffInput(String employeeNumber, String familyName, String givenName, String familyNameKana,
			String givenNameKana, String romanisedName, String jobGrade) {
	}

	/**
	 * @param unit the code of the unit
	 * @param post the post held there (e.g. 課長), {@code null} for a plain member
	 * @param validFrom {@code null} for now
	 * @param validTo {@code null} while it lasts
	 */
	public record AssignmentInput(String unit, String kind, String post, Instant validFrom, Instant validTo) {
	}

	/**
	 * Everyone assigned under {@code unit} (the unit or any unit below it), or holding
	 * {@code post}, or both, has {@code role} in client {@code client}; or, with
	 * {@code group} (the id of a {@link DirectoryGroups group}) alone, everyone in that group.
	 */
	public record RoleRuleInput(String client, String role, String unit, String post, String group) {
	}

	/**
	 * Where a person stands now, for one client's tokens.
	 * @param employeeNumber absent when not asked for or not staff
	 * @param primaryUnit the code of the primary post's unit, absent without one
	 * @param units the codes of every unit held now, primary first
	 * @param roles the directory's roles of the person in the client: direct grants and
	 * those derived from rules
	 */
	public record Placement(String employeeNumber, String primaryUnit, String primaryUnitNameJa,
			String primaryUnitNameEn, List<String> units, Set<String> roles) {
	}

	/** A post of a person, as the admin API lists it. */
	public record Post(UUID id, String unit, String kind, String post, Instant validFrom, Instant validTo) {
	}

	/** A role rule, as the admin API lists it; {@code group} is the group's id. */
	public record RoleRule(UUID id, String client, String role, String unit, String post, UUID group) {
	}

	/** Staff data of an account, as the admin API shows it. */
	public record Staff(UUID subject, String employeeNumber, String familyName, String givenName,
			String familyNameKana, String givenNameKana, String romanisedName, String jobGrade) {

		/** The record as {@link #saveStaff} takes it. */
		public StaffInput input() {
			return new StaffInput(this.employeeNumber, this.familyName, this.givenName, this.familyNameKana,
					this.givenNameKana, this.romanisedName, this.jobGrade);
		}

	}

	/** A role in a client. */
	public record ClientRole(String client, String role) {

		@Override
		public String toString() {
			return this.client + ":" + this.role;
		}

	}

	/**
	 * A post held, as rules see it.
	 * @param nameJa the unit's name at the time asked for, {@code null} when not read
	 */
	record HeldPost(UUID unitId, String unitCode, AssignmentKind kind, String post, String nameJa, String nameEn) {

		HeldPost(UUID unitId, String unitCode, AssignmentKind kind, String post) {
			this(unitId, unitCode, kind, post, null, null);
		}

	}

	/** @see OrgUnits#save */
	public void saveUnit(String realm, UnitInput unit) {
		this.units.save(realm, unit);
	}

	@Transactional
	public void saveStaff(String realm, UUID account, StaffInput staff) {
		List<DirectoryError> errors = new ArrayList<>();
		checkEmployeeNumber(errors, "employeeNumber", staff.employeeNumber());
		checkName(errors, "familyName", staff.familyName(), true);
		checkName(errors, "givenName", staff.givenName(), true);
		checkName(errors, "familyNameKana", staff.familyNameKana(), false);
		checkName(errors, "givenNameKana", staff.givenNameKana(), false);
		checkName(errors, "romanisedName", staff.romanisedName(), false);
		checkName(errors, "jobGrade", staff.jobGrade(), false);
		if (errors.isEmpty()) {
			employeeAccount(realm, staff.employeeNumber()).filter((holder) -> !holder.equals(account))
				.ifPresent((holder) -> errors
					.add(DirectoryError.field("employeeNumber", "employee-number-taken", staff.employeeNumber())));
		}
		failIfAny(errors);
		insertStaff(realm, List.of(account), List.of(staff));
	}

	/**
	 * Sets the employee number, names and manager of a person from a system of record
	 * (SCIM), keeping the rest of their staff data (kana, romanised name, job grade).
	 * @param manager the id of the manager's account in the realm, {@code null} for none
	 */
	@Transactional
	public void provisionStaff(String realm, UUID account, String employeeNumber, String familyName,
			String givenName, String manager) {
		List<DirectoryError> errors = new ArrayList<>();
		checkEmployeeNumber(errors, "employeeNumber", employeeNumber);
		checkName(errors, "familyName", familyName, true);
		checkName(errors, "givenName", givenName, true);
		if (errors.isEmpty()) {
			employeeAccount(realm, employeeNumber).filter((holder) -> !holder.equals(account))
				.ifPresent((holder) -> errors
					.add(DirectoryError.field("employeeNumber", "employee-number-taken", employeeNumber)));
		}
		UUID managerId = (manager != null) ? managerOf(errors, realm, account, manager) : null;
		failIfAny(errors);
		this.jdbc.sql("""
				insert into staff (account_id, realm, employee_number, family_name, given_name, manager_id)
				values (:account, :realm, :number, :family, :given, :manager)
				on conflict (account_id) do update set employee_number = excluded.employee_number,
				  family_name = excluded.family_name, given_name = excluded.given_name,
				  manager_id = excluded.manager_id
				""")
			.param("account", account)
			.param("realm", realm)
			.param("number", employeeNumber)
			.param("family", familyName)
			.param("given", givenName)
			.param("manager", managerId)
			.update();
	}

	/** The manager's account id: another account of the same realm. */
	private UUID managerOf(List<DirectoryError> errors, String realm, UUID account, String manager) {
		Optional<UUID> id = Optional.empty();
		try {
			UUID candidate = UUID.fromString(manager);
			id = this.jdbc.sql("select id from account where id = :id and realm = :realm")
				.param("id", candidate)
				.param("realm", realm)
				.query(UUID.class)
				.optional()
				.filter((found) -> !found.equals(account));
		}
		catch (IllegalArgumentException ex) {
			// not an id at all: no such account either
		}
		if (id.isEmpty()) {
			errors.add(DirectoryError.field("manager", "unknown-manager", manager, realm));
		}
		return id.orElse(null);
	}

	/** The staff records of these accounts (in the same order), in one statement whatever their number. */
	void insertStaff(String realm, List<UUID> accounts, List<StaffInput> staff) {
		this.jdbc.sql("""
				insert into staff (account_id, realm, employee_number, family_name, given_name, family_name_kana,
				  given_name_kana, romanised_name, job_grade)
				select s.account, :realm, s.number, s.family, s.given, s.family_kana, s.given_kana, s.romanised, s.grade
				from unnest(cast(:accounts as uuid[]), cast(:numbers as text[]), cast(:family as text[]),
				  cast(:given as text[]), cast(:familyKana as text[]), cast(:givenKana as text[]),
				  cast(:romanised as text[]), cast(:grades as text[]))
				  as s (account, number, family, given, family_kana, given_kana, romanised, grade)
				on conflict (account_id) do update set employee_number = excluded.employee_number,
				  family_name = excluded.family_name, given_name = excluded.given_name,
				  family_name_kana = excluded.family_name_kana, given_name_kana = excluded.given_name_kana,
				  romanised_name = excluded.romanised_name, job_grade = excluded.job_grade
				""")
			.param("realm", realm)
			.param("accounts", accounts.stream().map(UUID::toString).toArray(String[]::new))
			.param("numbers", staff.stream().map(StaffInput::employeeNumber).toArray(String[]::new))
			.param("family", staff.stream().map(StaffInput::familyName).toArray(String[]::new))
			.param("given", staff.stream().map(StaffInput::givenName).toArray(String[]::new))
			.param("familyKana", staff.stream().map(StaffInput::familyNameKana).toArray(String[]::new))
			.param("givenKana", staff.stream().map(StaffInput::givenNameKana).toArray(String[]::new))
			.param("romanised", staff.stream().map(StaffInput::romanisedName).toArray(String[]::new))
			.param("grades", staff.stream().map(StaffInput::jobGrade).toArray(String[]::new))
			.update();
	}

	/** Adds a post to an account; one primary post at a time. */
	@Transactional
	public UUID addAssignment(String realm, UUID account, AssignmentInput assignment) {
		List<DirectoryError> errors = new ArrayList<>();
		Instant from = (assignment.validFrom() != null) ? assignment.validFrom() : this.clock.instant();
		Optional<AssignmentKind> kind = oneOf(errors, "kind", assignment.kind(), AssignmentKind.class);
		if (assignment.post() != null && (assignment.post().isBlank() || assignment.post().length() > POST_LENGTH)) {
			errors.add(DirectoryError.field("post", "length", 1, POST_LENGTH));
		}
		if (assignment.validTo() != null && !assignment.validTo().isAfter(from)) {
			errors.add(DirectoryError.field("validTo", "not-after", "validFrom"));
		}
		Optional<UUID> unit = (assignment.unit() != null) ? unitId(realm, assignment.unit()) : Optional.empty();
		if (assignment.unit() == null) {
			errors.add(DirectoryError.field("unit", "required"));
		}
		else if (unit.isEmpty()) {
			errors.add(DirectoryError.field("unit", "unknown-unit", assignment.unit()));
		}
		if (errors.isEmpty() && kind.get() == AssignmentKind.PRIMARY
				&& primaryOverlaps(account, from, assignment.validTo())) {
			errors.add(DirectoryError.field("validFrom", "primary-overlap"));
		}
		failIfAny(errors);
		UUID id = UUID.randomUUID();
		insertAssignment(id, account, unit.get(), kind.get(), assignment.post(), from, assignment.validTo());
		return id;
	}

	void insertAssignment(UUID id, UUID account, UUID unit, AssignmentKind kind, String post, Instant from,
			Instant to) {
		this.jdbc.sql("""
				insert into assignment (id, account_id, unit_id, kind, post, valid_from, valid_to)
				values (:id, :account, :unit, :kind, :post, :from, :to)
				""")
			.param("id", id)
			.param("account", account)
			.param("unit", unit)
			.param("kind", kind.key())
			.param("post", post)
			.param("from", Timestamp.from(from))
			.param("to", timestamp(to))
			.update();
	}

	@Transactional
	public UUID addRoleRule(String realm, RoleRuleInput rule) {
		List<DirectoryError> errors = new ArrayList<>();
		checkName(errors, "client", rule.client(), true);
		checkName(errors, "role", rule.role(), true);
		if (rule.group() != null && (rule.unit() != null || rule.post() != null)) {
			errors.add(DirectoryError.field("group", "group-alone"));
		}
		else if (rule.group() == null && rule.unit() == null && rule.post() == null) {
			errors.add(DirectoryError.field("unit", "unit-or-post"));
		}
		Optional<UUID> unit = (rule.unit() != null) ? unitId(realm, rule.unit()) : Optional.empty();
		if (rule.unit() != null && unit.isEmpty()) {
			errors.add(DirectoryError.field("unit", "unknown-unit", rule.unit()));
		}
		UUID group = (rule.group() != null) ? groupId(realm, rule.group()) : null;
		if (rule.group() != null && group == null) {
			errors.add(DirectoryError.field("group", "unknown-group", rule.group(), realm));
		}
		failIfAny(errors);
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into role_rule (id, realm, client_id, role, unit_id, post, group_id)
				values (:id, :realm, :client, :role, :unit, :post, :group)
				""")
			.param("id", id)
			.param("realm", realm)
			.param("client", rule.client())
			.param("role", rule.role())
			.param("unit", unit.orElse(null))
			.param("post", rule.post())
			.param("group", group)
			.update();
		return id;
	}

	/** Grants a role in a client to an account directly, whatever its posts. */
	@Transactional
	public void grantRole(UUID account, String client, String role) {
		List<DirectoryError> errors = new ArrayList<>();
		checkName(errors, "client", client, true);
		checkName(errors, "role", role, true);
		failIfAny(errors);
		this.jdbc.sql("insert into role_grant (account_id, client_id, role) values (:account, :client, :role) "
				+ "on conflict do nothing")
			.param("account", account)
			.param("client", client)
			.param("role", role)
			.update();
	}

	/**
	 * Where a person stands now, for one client: only what is asked for is read.
	 * @param withEmployeeNumber read the employee number
	 * @param withUnits read the units
	 * @param withRoles read the roles in the client
	 */
	public Placement placement(String realm, UUID account, String client, boolean withEmployeeNumber,
			boolean withUnits, boolean withRoles) {
		Instant now = this.clock.instant();
		String employeeNumber = withEmployeeNumber ? this.jdbc
			.sql("select employee_number from staff where account_id = :account and realm = :realm")
			.param("account", account)
			.param("realm", realm)
			.query(String.class)
			.optional()
			.orElse(null) : null;
		List<HeldPost> posts = (withUnits || withRoles) ? postsAt(realm, account, now) : List.of();
		HeldPost primary = posts.stream()
			.filter((post) -> post.kind() == AssignmentKind.PRIMARY)
			.findFirst()
			.filter((post) -> withUnits)
			.orElse(null);
		List<String> units = withUnits ? posts.stream().map(HeldPost::unitCode).distinct().toList() : List.of();
		Set<String> roles = new LinkedHashSet<>();
		if (withRoles) {
			roles(realm, account, posts, client).forEach((role) -> roles.add(role.role()));
		}
		return (primary != null)
				? new Placement(employeeNumber, primary.unitCode(), primary.nameJa(), primary.nameEn(), units, roles)
				: new Placement(employeeNumber, null, null, null, units, roles);
	}

	/** The posts an account holds at an instant, primary first, in units open then, named as then. */
	List<HeldPost> postsAt(String realm, UUID account, Instant at) {
		return postsAt(realm, List.of(account), at).getOrDefault(account, List.of());
	}

	/** The posts of many accounts at an instant, as {@link #postsAt(String, UUID, Instant)}, in one query. */
	Map<UUID, List<HeldPost>> postsAt(String realm, Collection<UUID> accounts, Instant at) {
		Map<UUID, List<HeldPost>> posts = new HashMap<>();
		this.jdbc.sql("""
				select a.account_id, u.id, u.code, a.kind, a.post, coalesce(n.name_ja, u.name_ja) as name_ja,
				  case when n.name_ja is null then u.name_en else n.name_en end as name_en
				from assignment a join org_unit u on u.id = a.unit_id
				left join lateral (select name_ja, name_en from org_unit_name where unit_id = u.id and valid_from <= :at
				  order by valid_from desc limit 1) n on true
				where a.account_id = any(cast(:accounts as uuid[])) and u.realm = :realm
				  and a.valid_from <= :at and (a.valid_to is null or a.valid_to > :at)
				  and u.valid_from <= :at and (u.valid_to is null or u.valid_to > :at)
				order by a.account_id, case a.kind when 'primary' then 0 when 'concurrent' then 1 else 2 end, u.code
				""")
			.param("accounts", accounts.stream().map(UUID::toString).toArray(String[]::new))
			.param("realm", realm)
			.param("at", Timestamp.from(at))
			.query((rs, row) -> posts.computeIfAbsent(rs.getObject("account_id", UUID.class), (key) -> new ArrayList<>())
				.add(new HeldPost(rs.getObject("id", UUID.class), rs.getString("code"),
						AssignmentKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("post"),
						rs.getString("name_ja"), rs.getString("name_en"))))
			.list();
		return posts;
	}

	/** A person's posts, by start; only those held at {@code at} when given. */
	public Page<Post> posts(UUID account, Instant at, int first, int max) {
		Page.check(first, max);
		return Page.of(this.jdbc.sql("""
				select a.id, u.code, a.kind, a.post, a.valid_from, a.valid_to
				from assignment a join org_unit u on u.id = a.unit_id
				where a.account_id = :account and (cast(:at as timestamptz) is null
				  or (a.valid_from <= :at and (a.valid_to is null or a.valid_to > :at)))
				order by a.valid_from, a.id limit :limit offset :first
				""")
			.param("account", account)
			.param("at", timestamp(at))
			.param("limit", max + 1)
			.param("first", first)
			.query((rs, row) -> new Post(rs.getObject("id", UUID.class), rs.getString("code"), rs.getString("kind"),
					rs.getString("post"), rs.getTimestamp("valid_from").toInstant(),
					(rs.getTimestamp("valid_to") != null) ? rs.getTimestamp("valid_to").toInstant() : null))
			.list(), first, max);
	}

	/** Deletes a post entered by mistake (a post that ended is ended with a new one, not deleted). */
	@Transactional
	public void removeAssignment(String realm, UUID account, UUID id) {
		requireOne(this.jdbc.sql("delete from assignment where id = :id and account_id = :account")
			.param("id", id)
			.param("account", account)
			.update(), realm, "assignment", id);
	}

	/** The realm's role rules, by client, role and id; only one client's when given. */
	public Page<RoleRule> roleRules(String realm, String client, int first, int max) {
		Page.check(first, max);
		return Page.of(this.jdbc.sql("""
				select r.id, r.client_id, r.role, u.code, r.post, r.group_id from role_rule r
				left join org_unit u on u.id = r.unit_id
				where r.realm = :realm and (cast(:client as varchar) is null or r.client_id = :client)
				order by r.client_id, r.role, r.id limit :limit offset :first
				""")
			.param("realm", realm)
			.param("client", client)
			.param("limit", max + 1)
			.param("first", first)
			.query((rs, row) -> new RoleRule(rs.getObject("id", UUID.class), rs.getString("client_id"),
					rs.getString("role"), rs.getString("code"), rs.getString("post"), rs.getObject("group_id", UUID.class)))
			.list(), first, max);
	}

	@Transactional
	public void removeRoleRule(String realm, UUID id) {
		requireOne(this.jdbc.sql("delete from role_rule where id = :id and realm = :realm")
			.param("id", id)
			.param("realm", realm)
			.update(), realm, "role-rule", id);
	}

	/** The roles granted to a person directly, by client and role. */
	public List<ClientRole> grants(UUID account) {
		return this.jdbc.sql("select client_id, role from role_grant where account_id = :account order by 1, 2")
			.param("account", account)
			.query((rs, row) -> new ClientRole(rs.getString(1), rs.getString(2)))
			.list();
	}

	@Transactional
	public void revokeRole(String realm, UUID account, String client, String role) {
		requireOne(this.jdbc.sql("delete from role_grant where account_id = :account and client_id = :client and role = :role")
			.param("account", account)
			.param("client", client)
			.param("role", role)
			.update(), realm, "role-grant", client + ":" + role);
	}

	public Optional<Staff> staff(String realm, UUID account) {
		return this.jdbc.sql(STAFF + "where realm = :realm and account_id = :account")
			.param("realm", realm)
			.param("account", account)
			.query(DirectoryService::staff)
			.optional();
	}

	/** The realm's staff records, by employee number. */
	public Page<Staff> staffList(String realm, int first, int max) {
		Page.check(first, max);
		return Page.of(this.jdbc.sql(STAFF + "where realm = :realm order by employee_number limit :limit offset :first")
			.param("realm", realm)
			.param("limit", max + 1)
			.param("first", first)
			.query(DirectoryService::staff)
			.list(), first, max);
	}

	/** Deletes a person's staff record; their account and posts stay. */
	@Transactional
	public void removeStaff(String realm, UUID account) {
		requireOne(this.jdbc.sql("delete from staff where realm = :realm and account_id = :account")
			.param("realm", realm)
			.param("account", account)
			.update(), realm, "staff", account);
	}

	private static final String STAFF = """
			select account_id, employee_number, family_name, given_name, family_name_kana, given_name_kana,
			  romanised_name, job_grade from staff
			""";

	private static Staff staff(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new Staff(rs.getObject("account_id", UUID.class), rs.getString("employee_number"),
				rs.getString("family_name"), rs.getString("given_name"), rs.getString("family_name_kana"),
				rs.getString("given_name_kana"), rs.getString("romanised_name"), rs.getString("job_grade"));
	}

	private static void requireOne(int deleted, String realm, String kind, Object key) {
		if (deleted == 0) {
			throw new UnknownDirectoryEntryException(realm, kind, String.valueOf(key));
		}
	}

	/**
	 * The roles an account has with these posts: direct grants, every rule matched by a
	 * post in the rule's unit or any unit below it, and every rule naming a group the
	 * account is in (groups do not change with posts, so a transfer's diff of roles is
	 * unmoved by them).
	 * @param client only the roles in this client, or {@code null} for every client
	 */
	List<ClientRole> roles(String realm, UUID account, Collection<HeldPost> posts, String client) {
		String[] units = posts.stream().map((post) -> post.unitId().toString()).toArray(String[]::new);
		String[] titles = posts.stream().map(HeldPost::post).toArray(String[]::new);
		return this.jdbc.sql("""
				with recursive held (unit_id, post, depth) as (
				  select cast(h.unit_id as uuid), h.post, 0 from unnest(cast(:units as text[]), cast(:posts as text[]))
				    as h (unit_id, post)
				  union all
				  select u.parent_id, held.post, held.depth + 1 from held join org_unit u on u.id = held.unit_id
				  where u.parent_id is not null and held.depth < :maxDepth
				)
				select r.client_id, r.role from role_rule r
				where r.realm = :realm and (cast(:client as varchar) is null or r.client_id = :client)
				  and r.group_id is null and exists (select 1 from held where (r.unit_id is null or r.unit_id = held.unit_id)
				    and (r.post is null or r.post = held.post))
				union
				select r.client_id, r.role from role_rule r
				join directory_group_member m on m.group_id = r.group_id and m.account_id = :account
				where r.realm = :realm and (cast(:client as varchar) is null or r.client_id = :client)
				union
				select g.client_id, g.role from role_grant g
				where g.account_id = :account and (cast(:client as varchar) is null or g.client_id = :client)
				order by 1, 2
				""")
			.param("units", units)
			.param("posts", titles)
			.param("maxDepth", MAX_DEPTH)
			.param("realm", realm)
			.param("client", client)
			.param("account", account)
			.query((rs, row) -> new ClientRole(rs.getString(1), rs.getString(2)))
			.list();
	}

	/** A post a person holds now, with its unit's current names, as the person's own pages show it. */
	public record CurrentPost(String unitCode, AssignmentKind kind, String post, String unitNameJa,
			String unitNameEn) {
	}

	/** The posts an account holds now, primary first, named as now. */
	public List<CurrentPost> currentPosts(String realm, UUID account) {
		return postsAt(realm, account, this.clock.instant()).stream()
			.map((post) -> new CurrentPost(post.unitCode(), post.kind(), post.post(), post.nameJa(), post.nameEn()))
			.toList();
	}

	/** The posts an account holds now, primary first, as they would be given again. */
	public List<AssignmentInput> postsNow(String realm, UUID account) {
		return postsAt(realm, account, this.clock.instant()).stream()
			.map((post) -> new AssignmentInput(post.unitCode(), post.kind().key(), post.post(), null, null))
			.toList();
	}

	/**
	 * Makes the posts an account holds from now on exactly these (their periods ignored):
	 * posts held now end now and the given ones begin now. Nothing changes when they are
	 * the posts held now already.
	 * @return whether anything changed
	 */
	@Transactional
	public boolean replacePosts(String realm, UUID account, List<AssignmentInput> posts) {
		List<DirectoryError> errors = new ArrayList<>();
		List<UUID> units = new ArrayList<>();
		List<AssignmentKind> kinds = new ArrayList<>();
		for (AssignmentInput post : posts) {
			Optional<UUID> unit = (post.unit() != null) ? unitId(realm, post.unit()) : Optional.empty();
			if (unit.isEmpty()) {
				errors.add(DirectoryError.field("unit", "unknown-unit", post.unit()));
			}
			units.add(unit.orElse(null));
			kinds.add(oneOf(errors, "kind", post.kind(), AssignmentKind.class).orElse(null));
		}
		if (kinds.stream().filter((kind) -> kind == AssignmentKind.PRIMARY).count() > 1) {
			errors.add(DirectoryError.field("kind", "primary-overlap"));
		}
		failIfAny(errors);
		Set<AssignmentInput> wanted = posts.stream()
			.map((post) -> new AssignmentInput(post.unit(), post.kind(), post.post(), null, null))
			.collect(Collectors.toSet());
		if (wanted.equals(Set.copyOf(postsNow(realm, account)))) {
			return false;
		}
		Instant now = this.clock.instant();
		endPosts(account, now);
		for (int index = 0; index < posts.size(); index++) {
			insertAssignment(UUID.randomUUID(), account, units.get(index), kinds.get(index), posts.get(index).post(),
					now, null);
		}
		return true;
	}

	/** Posts held at {@code at} end then; posts that were to begin later are superseded. */
	void endPosts(UUID account, Instant at) {
		endPosts(new String[] { account.toString() }, at);
	}

	/** {@link #endPosts(UUID, Instant)} for many accounts, in two statements whatever their number. */
	void endPosts(String[] accounts, Instant at) {
		this.jdbc.sql("""
				update assignment set valid_to = :at
				where account_id = any(cast(:accounts as uuid[])) and valid_from < :at
				  and (valid_to is null or valid_to > :at)
				""").param("accounts", accounts).param("at", Timestamp.from(at)).update();
		this.jdbc.sql("delete from assignment where account_id = any(cast(:accounts as uuid[])) and valid_from >= :at")
			.param("accounts", accounts)
			.param("at", Timestamp.from(at))
			.update();
	}


	/**
	 * These units and every unit above them, each after its parent, as {@link #saveUnit}
	 * would take them again.
	 */
	public List<UnitInput> unitsWithAncestors(String realm, Collection<String> codes) {
		List<UnitInput> found = this.jdbc.sql("""
				with recursive up (id, depth) as (
				  select id, 0 from org_unit where realm = :realm and code = any(:codes)
				  union all
				  select u.parent_id, up.depth + 1 from up join org_unit u on u.id = up.id
				  where u.parent_id is not null and up.depth < :maxDepth
				)
				select u.code, u.kind, u.name_ja, u.name_en, p.code as parent, u.valid_from, u.valid_to
				from org_unit u left join org_unit p on p.id = u.parent_id
				where u.id in (select id from up) order by u.code
				""")
			.param("realm", realm)
			.param("codes", codes.toArray(String[]::new))
			.param("maxDepth", MAX_DEPTH)
			.query((rs, row) -> new UnitInput(rs.getString("code"), rs.getString("kind"), rs.getString("name_ja"),
					rs.getString("name_en"), rs.getString("parent"), rs.getTimestamp("valid_from").toInstant(),
					(rs.getTimestamp("valid_to") != null) ? rs.getTimestamp("valid_to").toInstant() : null))
			.list();
		List<UnitInput> ordered = new ArrayList<>();
		Set<String> placed = new java.util.HashSet<>();
		List<UnitInput> left = new ArrayList<>(found);
		while (!left.isEmpty()) {
			List<UnitInput> ready = left.stream()
				.filter((unit) -> unit.parent() == null || placed.contains(unit.parent()))
				.toList();
			if (ready.isEmpty()) {
				// deeper than MAX_DEPTH: the rest follow in code order
				ready = List.copyOf(left);
			}
			ordered.addAll(ready);
			ready.forEach((unit) -> placed.add(unit.code()));
			left.removeAll(ready);
		}
		return ordered;
	}

	/**
	 * The accounts that have a role in a client through the directory now: a direct grant,
	 * a post that a rule for that role matches (in the rule's unit or below it), or a group
	 * a rule for that role names.
	 */
	public Set<UUID> roleHolders(String realm, String client, String role) {
		return Set.copyOf(this.jdbc.sql("""
				with recursive rules as (
				  select unit_id, post from role_rule where realm = :realm and client_id = :client and role = :role
				    and group_id is null
				), under (unit_id, post, depth) as (
				  select unit_id, post, 0 from rules where unit_id is not null
				  union all
				  select u.id, under.post, under.depth + 1 from under join org_unit u on u.parent_id = under.unit_id
				  where under.depth < :maxDepth
				)
				select a.account_id from assignment a join org_unit u on u.id = a.unit_id
				where u.realm = :realm and a.valid_from <= :now and (a.valid_to is null or a.valid_to > :now)
				  and u.valid_from <= :now and (u.valid_to is null or u.valid_to > :now)
				  and (exists (select 1 from under where under.unit_id = a.unit_id and (under.post is null or under.post = a.post))
				    or exists (select 1 from rules where rules.unit_id is null and rules.post = a.post))
				union
				select m.account_id from role_rule r join directory_group_member m on m.group_id = r.group_id
				where r.realm = :realm and r.client_id = :client and r.role = :role
				union
				select g.account_id from role_grant g join account ac on ac.id = g.account_id
				where ac.realm = :realm and g.client_id = :client and g.role = :role
				""")
			.param("realm", realm)
			.param("client", client)
			.param("role", role)
			.param("maxDepth", MAX_DEPTH)
			.param("now", Timestamp.from(this.clock.instant()))
			.query(UUID.class)
			.list());
	}

	/** The accounts holding a post now in the unit or any unit below it. */
	public Set<UUID> membersUnder(String realm, String unitCode) {
		UUID unit = unitId(realm, unitCode)
			.orElseThrow(() -> new InvalidDirectoryInputException(List.of(DirectoryError.field("unit", "unknown-unit", unitCode))));
		return Set.copyOf(this.jdbc.sql("""
				with recursive under (id, depth) as (
				  select cast(:unit as uuid), 0
				  union all
				  select u.id, under.depth + 1 from under join org_unit u on u.parent_id = under.id
				  where under.depth < :maxDepth
				)
				select distinct a.account_id from assignment a join org_unit u on u.id = a.unit_id
				where a.unit_id in (select id from under)
				  and a.valid_from <= :now and (a.valid_to is null or a.valid_to > :now)
				  and u.valid_from <= :now and (u.valid_to is null or u.valid_to > :now)
				""")
			.param("unit", unit)
			.param("maxDepth", MAX_DEPTH)
			.param("now", Timestamp.from(this.clock.instant()))
			.query(UUID.class)
			.list());
	}

	/** The id of a group of the realm, {@code null} when the text names none. */
	private UUID groupId(String realm, String id) {
		try {
			UUID candidate = UUID.fromString(id);
			return this.jdbc.sql("select id from directory_group where id = :id and realm = :realm")
				.param("id", candidate)
				.param("realm", realm)
				.query(UUID.class)
				.optional()
				.orElse(null);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	Optional<UUID> unitId(String realm, String code) {
		return this.units.unitId(realm, code);
	}

	Optional<UUID> employeeAccount(String realm, String employeeNumber) {
		return this.jdbc.sql("select account_id from staff where realm = :realm and employee_number = :number")
			.param("realm", realm)
			.param("number", employeeNumber)
			.query(UUID.class)
			.optional();
	}

	private boolean primaryOverlaps(UUID account, Instant from, Instant to) {
		return this.jdbc.sql("""
				select exists (select 1 from assignment where account_id = :account and kind = 'primary'
				  and (valid_to is null or valid_to > :from) and (cast(:to as timestamptz) is null or valid_from < :to))
				""")
			.param("account", account)
			.param("from", Timestamp.from(from))
			.param("to", timestamp(to))
			.query(Boolean.class)
			.single();
	}

	static void checkName(List<DirectoryError> errors, String field, String value, boolean required) {
		if (value == null) {
			if (required) {
				errors.add(DirectoryError.field(field, "required"));
			}
		}
		else if (value.isBlank() || value.length() > NAME_LENGTH || value.indexOf('\0') >= 0) {
			errors.add(DirectoryError.field(field, "length", 1, NAME_LENGTH));
		}
	}

	static void checkEmployeeNumber(List<DirectoryError> errors, String field, String value) {
		if (value == null || !CODE.matcher(value).matches() || value.length() > EMPLOYEE_NUMBER_LENGTH) {
			errors.add(DirectoryError.field(field, "employee-number", value));
		}
	}

	/** Staff data of one account loaded in bulk ({@link #importStaff}). */
	public record StaffRow(UUID account, String employeeNumber, String familyName, String givenName) {
	}

	/**
	 * Adds the staff data of many new accounts in one statement (a bulk load of the HR
	 * file), in the caller's transaction. Refused whole, with a {@link DirectoryError} per bad
	 * row ({@code line} = its position in the list, from 1), if an employee number is invalid,
	 * repeated, or already someone's.
	 */
	@Transactional
	public void importStaff(String realm, List<StaffRow> rows) {
		List<DirectoryError> errors = new ArrayList<>();
		Map<String, Integer> seen = new HashMap<>();
		for (int i = 0; i < rows.size(); i++) {
			StaffRow row = rows.get(i);
			List<DirectoryError> rowErrors = new ArrayList<>();
			checkEmployeeNumber(rowErrors, "employee_number", row.employeeNumber());
			checkName(rowErrors, "family_name", row.familyName(), true);
			checkName(rowErrors, "given_name", row.givenName(), true);
			Integer earlier = seen.putIfAbsent(row.employeeNumber(), i + 1);
			if (earlier != null) {
				rowErrors.add(DirectoryError.field("employee_number", "duplicate-row", row.employeeNumber(), earlier));
			}
			int line = i + 1;
			rowErrors.forEach((error) -> errors.add(DirectoryError.line(line, error.field(), error.code(),
					error.arguments().toArray())));
		}
		String[] numbers = rows.stream().map(StaffRow::employeeNumber).toArray(String[]::new);
		this.jdbc.sql("select employee_number from staff where realm = :realm and employee_number = any(:numbers)")
			.param("realm", realm)
			.param("numbers", numbers)
			.query(String.class)
			.list()
			.forEach((taken) -> errors.add(DirectoryError.line(seen.get(taken), "employee_number",
					"employee-number-taken", taken)));
		failIfAny(errors);
		this.jdbc.sql("""
				insert into staff (account_id, realm, employee_number, family_name, given_name)
				select cast(r.account as uuid), :realm, r.number, r.family, r.given
				from unnest(cast(:accounts as text[]), cast(:numbers as text[]), cast(:families as text[]),
				  cast(:givens as text[])) as r (account, number, family, given)
				""")
			.param("realm", realm)
			.param("accounts", rows.stream().map((row) -> row.account().toString()).toArray(String[]::new))
			.param("numbers", numbers)
			.param("families", rows.stream().map(StaffRow::familyName).toArray(String[]::new))
			.param("givens", rows.stream().map(StaffRow::givenName).toArray(String[]::new))
			.update();
	}

	/**
	 * What provisioning (SCIM) shows of a person of the directory.
	 * @param department the name of the unit of the primary post now, or {@code null}
	 * @param organization the name of the top unit above it (the unit itself at the top)
	 */
	public record StaffSummary(String employeeNumber, String organization, String department, UUID manager,
			String managerDisplayName) {
	}

	/** The staff data of these accounts, for those that have any, read in one statement. */
	public Map<UUID, StaffSummary> staffSummaries(String realm, Collection<UUID> accounts) {
		if (accounts.isEmpty()) {
			return Map.of();
		}
		Map<UUID, StaffSummary> summaries = new HashMap<>();
		this.jdbc.sql("""
				with recursive placed as (
				  select s.account_id, s.employee_number, s.manager_id, u.id as unit_id, u.name_ja, u.parent_id
				  from staff s
				  left join assignment a on a.account_id = s.account_id and a.kind = 'primary'
				    and a.valid_from <= :now and (a.valid_to is null or a.valid_to > :now)
				  left join org_unit u on u.id = a.unit_id
				  where s.realm = :realm and s.account_id = any(cast(:ids as uuid[]))
				), above (account_id, parent_id, name_ja, depth) as (
				  select account_id, parent_id, name_ja, 0 from placed where unit_id is not null
				  union all
				  select above.account_id, u.parent_id, u.name_ja, above.depth + 1
				  from above join org_unit u on u.id = above.parent_id where above.depth < :maxDepth
				)
				select p.account_id, p.employee_number, p.name_ja as department,
				  (select t.name_ja from above t where t.account_id = p.account_id and t.parent_id is null limit 1)
				    as organization, p.manager_id, m.display_name as manager_name
				from placed p left join account m on m.id = p.manager_id
				""")
			.param("now", Timestamp.from(this.clock.instant()))
			.param("realm", realm)
			.param("ids", accounts.stream().map(UUID::toString).toArray(String[]::new))
			.param("maxDepth", MAX_DEPTH)
			.query((rs) -> {
				summaries.put(rs.getObject("account_id", UUID.class), new StaffSummary(rs.getString("employee_number"),
						rs.getString("organization"), rs.getString("department"), rs.getObject("manager_id", UUID.class),
						rs.getString("manager_name")));
			});
		return summaries;
	}

	/** The constant of an enum written in lower case, or an error listing the allowed ones. */
	static <E extends Enum<E>> Optional<E> oneOf(List<DirectoryError> errors, String field, String value,
			Class<E> type) {
		if (value == null) {
			errors.add(DirectoryError.field(field, "required"));
			return Optional.empty();
		}
		for (E constant : type.getEnumConstants()) {
			if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
				return Optional.of(constant);
			}
		}
		errors.add(DirectoryError.field(field, "not-one-of", value, Arrays.stream(type.getEnumConstants())
			.map((constant) -> constant.name().toLowerCase(Locale.ROOT))
			.collect(Collectors.joining(", "))));
		return Optional.empty();
	}

	static void failIfAny(List<DirectoryError> errors) {
		if (!errors.isEmpty()) {
			throw new InvalidDirectoryInputException(errors);
		}
	}

	static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

}
