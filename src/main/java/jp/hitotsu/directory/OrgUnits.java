package jp.hitotsu.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Organisation units as effective-dated operations: a unit is created (possibly from a
 * future time), renamed from a time (the names it had before stay, for lists and tokens
 * of earlier times), merged into another unit at a time (its posts move there, it closes)
 * or closed at a time (refused while anyone holds a post in it after that time). "Now" is
 * the server's {@link Clock}; every operation takes a time, absent meaning now.
 *
 * <p>
 * Role rules on a merged unit are neither moved nor deleted: rules have no dates, so
 * pointing them at the surviving unit would give its people the roles before the merge
 * took effect. They stop matching when the unit closes (nobody holds a post there any
 * more); the merge reports them so that HR adds rules on the surviving unit if wanted.
 */
@Service
public class OrgUnits {

	/** The most occupants or units named in a refusal; the count says how many there are. */
	private static final int LISTED = 100;

	private final JdbcClient jdbc;

	private final Clock clock;

	OrgUnits(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * A unit as it stands at a time.
	 * @param names every name it has had, oldest first (only when one unit is read)
	 * @param mergedInto the code of the unit it was merged into
	 */
	public record Unit(String code, String kind, String parent, String nameJa, String nameEn, Instant validFrom,
			Instant validTo, String mergedInto, List<UnitName> names) {
	}

	/** A name valid from a time until the next one. */
	public record UnitName(Instant validFrom, String nameJa, String nameEn) {
	}

	/** What a merge did: how many posts moved, and the rules on the merged unit, left as they were. */
	public record Merged(String unit, String into, Instant at, int movedPosts, List<UUID> rulesOnMergedUnit) {
	}

	/** The units open at {@code at}, by code; only those directly below {@code parent} when given. */
	public Page<Unit> list(String realm, Instant at, String parent, int first, int max) {
		Page.check(first, max);
		Instant when = (at != null) ? at : this.clock.instant();
		return Page.of(this.jdbc.sql(UNITS + """
				where u.realm = :realm and u.valid_from <= :at and (u.valid_to is null or u.valid_to > :at)
				  and (cast(:parent as varchar) is null or p.code = :parent)
				order by u.code limit :limit offset :first
				""")
			.param("at", Timestamp.from(when))
			.param("realm", realm)
			.param("parent", parent)
			.param("limit", max + 1)
			.param("first", first)
			.query((rs, row) -> unit(rs, null))
			.list(), first, max);
	}

	/** A unit, open or not, named as at {@code at}, with its whole name history. */
	public Unit find(String realm, String code, Instant at) {
		UUID id = require(realm, code);
		List<UnitName> renames = this.jdbc
			.sql("select valid_from, name_ja, name_en from org_unit_name where unit_id = :id order by valid_from")
			.param("id", id)
			.query((rs, row) -> new UnitName(rs.getTimestamp("valid_from").toInstant(), rs.getString("name_ja"),
					rs.getString("name_en")))
			.list();
		return this.jdbc.sql(UNITS + "where u.id = :id")
			.param("at", Timestamp.from((at != null) ? at : this.clock.instant()))
			.param("id", id)
			.query((rs, row) -> {
				List<UnitName> names = new ArrayList<>();
				names.add(new UnitName(rs.getTimestamp("valid_from").toInstant(), rs.getString("first_name_ja"),
						rs.getString("first_name_en")));
				names.addAll(renames);
				return unit(rs, names);
			})
			.single();
	}

	/**
	 * Creates a unit (from {@code validFrom}, now when absent, which may be in the future),
	 * or changes an existing one's kind, parent and period. A changed name of a unit that
	 * already exists is a rename from now: the old name stays in its history.
	 * @throws DirectoryConflictException when a new end would leave people or open units in it
	 */
	@Transactional
	public void save(String realm, DirectoryService.UnitInput unit) {
		List<DirectoryError> errors = new ArrayList<>();
		if (unit.code() == null || !DirectoryService.CODE.matcher(unit.code()).matches()) {
			errors.add(DirectoryError.field("code", "code", unit.code()));
		}
		Optional<UnitKind> kind = DirectoryService.oneOf(errors, "kind", unit.kind(), UnitKind.class);
		DirectoryService.checkName(errors, "nameJa", unit.nameJa(), true);
		DirectoryService.checkName(errors, "nameEn", unit.nameEn(), false);
		Instant now = this.clock.instant();
		Instant from = (unit.validFrom() != null) ? unit.validFrom() : now;
		if (unit.validTo() != null && !unit.validTo().isAfter(from)) {
			errors.add(DirectoryError.field("validTo", "not-after", "validFrom"));
		}
		Optional<UUID> existing = (unit.code() != null) ? unitId(realm, unit.code()) : Optional.empty();
		UUID parentId = null;
		if (unit.parent() != null) {
			Optional<UUID> parent = unitId(realm, unit.parent());
			if (parent.isEmpty()) {
				errors.add(DirectoryError.field("parent", "unknown-unit", unit.parent()));
			}
			else if (unit.parent().equals(unit.code()) || ancestorCodes(parent.get()).contains(unit.code())) {
				errors.add(DirectoryError.field("parent", "cycle", unit.parent()));
			}
			else {
				parentId = parent.get();
			}
		}
		DirectoryService.failIfAny(errors);
		if (existing.isEmpty()) {
			this.jdbc.sql("""
					insert into org_unit (id, realm, code, kind, name_ja, name_en, parent_id, valid_from, valid_to)
					values (:id, :realm, :code, :kind, :nameJa, :nameEn, :parent, :from, :to)
					""")
				.param("id", UUID.randomUUID())
				.param("realm", realm)
				.param("code", unit.code())
				.param("kind", kind.get().key())
				.param("nameJa", unit.nameJa())
				.param("nameEn", unit.nameEn())
				.param("parent", parentId)
				.param("from", Timestamp.from(from))
				.param("to", DirectoryService.timestamp(unit.validTo()))
				.update();
			return;
		}
		UUID id = existing.get();
		Unit current = find(realm, unit.code(), now);
		if (unit.validTo() != null && !unit.validTo().equals(current.validTo())) {
			refuseIfOccupied(realm, id, unit.code(), unit.validTo());
		}
		boolean opened = !now.isBefore(current.validFrom());
		this.jdbc.sql("""
				update org_unit set kind = :kind, parent_id = :parent, valid_from = :from, valid_to = :to,
				  name_ja = case when :opened then name_ja else :nameJa end,
				  name_en = case when :opened then name_en else :nameEn end
				where id = :id
				""")
			.param("kind", kind.get().key())
			.param("parent", parentId)
			.param("from", Timestamp.from(from))
			.param("to", DirectoryService.timestamp(unit.validTo()))
			.param("opened", opened)
			.param("nameJa", unit.nameJa())
			.param("nameEn", unit.nameEn())
			.param("id", id)
			.update();
		// before it opens a unit has shown no name yet, so its first name is simply replaced
		if (opened && (!unit.nameJa().equals(current.nameJa()) || !Objects.equals(unit.nameEn(), current.nameEn()))) {
			addName(id, now, unit.nameJa(), unit.nameEn());
		}
	}

	/** The unit is called so from {@code from} (now when absent) until its next rename. */
	@Transactional
	public void rename(String realm, String code, String nameJa, String nameEn, Instant from) {
		UUID id = require(realm, code);
		Instant at = (from != null) ? from : this.clock.instant();
		List<DirectoryError> errors = new ArrayList<>();
		DirectoryService.checkName(errors, "nameJa", nameJa, true);
		DirectoryService.checkName(errors, "nameEn", nameEn, false);
		Period period = period(id);
		if (at.isBefore(period.from()) || (period.to() != null && !at.isBefore(period.to()))) {
			errors.add(DirectoryError.field("effectiveAt", "unit-not-open", code, at));
		}
		DirectoryService.failIfAny(errors);
		addName(id, at, nameJa, nameEn);
	}

	void addName(UUID unit, Instant from, String nameJa, String nameEn) {
		this.jdbc.sql("""
				insert into org_unit_name (unit_id, valid_from, name_ja, name_en) values (:unit, :from, :ja, :en)
				on conflict (unit_id, valid_from) do update set name_ja = excluded.name_ja, name_en = excluded.name_en
				""").param("unit", unit).param("from", Timestamp.from(from)).param("ja", nameJa).param("en", nameEn).update();
	}

	/**
	 * The unit closes at {@code at} (now when absent).
	 * @throws DirectoryConflictException listing the people holding a post in it after
	 * then, or the units below it still open then
	 */
	@Transactional
	public void close(String realm, String code, Instant at) {
		UUID id = require(realm, code);
		Instant when = (at != null) ? at : this.clock.instant();
		requireOpen(id, code, when, "effectiveAt");
		refuseIfOccupied(realm, id, code, when);
		end(id, when, null);
	}

	/**
	 * Unit {@code code} is merged into {@code into} at {@code at} (now when absent): every
	 * post held in it from then on is held in {@code into} instead, and it closes.
	 * @throws DirectoryConflictException listing units below it still open then
	 */
	@Transactional
	public Merged merge(String realm, String code, String into, Instant at) {
		UUID id = require(realm, code);
		Instant when = (at != null) ? at : this.clock.instant();
		List<DirectoryError> errors = new ArrayList<>();
		Optional<UUID> target = (into != null) ? unitId(realm, into) : Optional.empty();
		if (into == null) {
			errors.add(DirectoryError.field("into", "required"));
		}
		else if (target.isEmpty()) {
			errors.add(DirectoryError.field("into", "unknown-unit", into));
		}
		else if (target.get().equals(id)) {
			errors.add(DirectoryError.field("into", "merge-itself", into));
		}
		else if (!openAt(target.get(), when)) {
			errors.add(DirectoryError.field("into", "unit-not-open", into, when));
		}
		if (!openAt(id, when)) {
			errors.add(DirectoryError.field("effectiveAt", "unit-not-open", code, when));
		}
		DirectoryService.failIfAny(errors);
		refuseIfOpenBelow(realm, id, code, when);
		Timestamp time = Timestamp.from(when);
		// a post spanning the merge continues in the surviving unit until it was to end
		int continued = this.jdbc.sql("""
				insert into assignment (id, account_id, unit_id, kind, post, valid_from, valid_to)
				select gen_random_uuid(), account_id, :into, kind, post, :at, valid_to from assignment
				where unit_id = :unit and valid_from < :at and (valid_to is null or valid_to > :at)
				""").param("into", target.get()).param("at", time).param("unit", id).update();
		this.jdbc.sql("""
				update assignment set valid_to = :at
				where unit_id = :unit and valid_from < :at and (valid_to is null or valid_to > :at)
				""").param("at", time).param("unit", id).update();
		int later = this.jdbc.sql("update assignment set unit_id = :into where unit_id = :unit and valid_from >= :at")
			.param("into", target.get())
			.param("unit", id)
			.param("at", time)
			.update();
		List<UUID> rules = this.jdbc.sql("select id from role_rule where unit_id = :unit order by id")
			.param("unit", id)
			.query(UUID.class)
			.list();
		end(id, when, target.get());
		return new Merged(code, into, when, continued + later, rules);
	}

	/**
	 * A unit that nothing ever referred to (no posts, rules, units below it or merged into
	 * it) is deleted; any other is closed instead.
	 * @throws DirectoryConflictException naming what refers to it
	 */
	@Transactional
	public void delete(String realm, String code) {
		UUID id = require(realm, code);
		List<String> references = this.jdbc.sql("""
				select 'assignment ' || id from assignment where unit_id = :id
				union all select 'role-rule ' || id from role_rule where unit_id = :id
				union all select 'unit ' || code from org_unit where parent_id = :id or merged_into = :id
				limit :listed
				""").param("id", id).param("listed", LISTED).query(String.class).list();
		if (!references.isEmpty()) {
			throw new DirectoryConflictException("unit-in-use", references, code);
		}
		this.jdbc.sql("delete from org_unit where id = :id").param("id", id).update();
	}

	/** Whether the unit exists at {@code at}. */
	boolean openAt(UUID unit, Instant at) {
		Period period = period(unit);
		return !at.isBefore(period.from()) && (period.to() == null || period.to().isAfter(at));
	}

	/**
	 * Refuses to let a unit end at {@code at} while people hold posts in it after then
	 * or units below it are open then.
	 */
	void refuseIfOccupied(String realm, UUID unit, String code, Instant at) {
		List<String> occupants = this.jdbc.sql("""
				select distinct coalesce(s.employee_number, cast(a.account_id as varchar)) as who
				from assignment a left join staff s on s.account_id = a.account_id
				where a.unit_id = :unit and (a.valid_to is null or a.valid_to > :at)
				order by who limit :listed
				""").param("unit", unit).param("at", Timestamp.from(at)).param("listed", LISTED).query(String.class).list();
		if (!occupants.isEmpty()) {
			throw new DirectoryConflictException("unit-occupied", occupants, code, at, occupants.size());
		}
		refuseIfOpenBelow(realm, unit, code, at);
	}

	private void refuseIfOpenBelow(String realm, UUID unit, String code, Instant at) {
		List<String> below = this.jdbc.sql("""
				select code from org_unit where realm = :realm and parent_id = :unit
				  and (valid_to is null or valid_to > :at)
				order by code limit :listed
				""")
			.param("realm", realm)
			.param("unit", unit)
			.param("at", Timestamp.from(at))
			.param("listed", LISTED)
			.query(String.class)
			.list();
		if (!below.isEmpty()) {
			throw new DirectoryConflictException("unit-has-open-units", below, code, at);
		}
	}

	private void requireOpen(UUID unit, String code, Instant at, String field) {
		if (!openAt(unit, at)) {
			throw new InvalidDirectoryInputException(List.of(DirectoryError.field(field, "unit-not-open", code, at)));
		}
	}

	private void end(UUID unit, Instant at, UUID mergedInto) {
		this.jdbc.sql("update org_unit set valid_to = :at, merged_into = :into where id = :id")
			.param("at", Timestamp.from(at))
			.param("into", mergedInto)
			.param("id", unit)
			.update();
	}

	private record Period(Instant from, Instant to) {
	}

	private Period period(UUID unit) {
		return this.jdbc.sql("select valid_from, valid_to from org_unit where id = :id")
			.param("id", unit)
			.query((rs, row) -> new Period(rs.getTimestamp("valid_from").toInstant(),
					(rs.getTimestamp("valid_to") != null) ? rs.getTimestamp("valid_to").toInstant() : null))
			.single();
	}

	private Set<String> ancestorCodes(UUID unit) {
		return Set.copyOf(this.jdbc.sql("""
				with recursive up (id, code, parent_id, depth) as (
				  select id, code, parent_id, 0 from org_unit where id = :unit
				  union all
				  select u.id, u.code, u.parent_id, up.depth + 1 from up join org_unit u on u.id = up.parent_id
				  where up.depth < :maxDepth
				)
				select code from up
				""").param("unit", unit).param("maxDepth", DirectoryService.MAX_DEPTH).query(String.class).list());
	}

	Optional<UUID> unitId(String realm, String code) {
		return this.jdbc.sql("select id from org_unit where realm = :realm and code = :code")
			.param("realm", realm)
			.param("code", code)
			.query(UUID.class)
			.optional();
	}

	private UUID require(String realm, String code) {
		return unitId(realm, code)
			.orElseThrow(() -> new UnknownDirectoryEntryException(realm, "unit", code));
	}

	/** Units with the name valid at {@code :at}: the latest rename from then or before, else the first name. */
	private static final String UNITS = """
			select u.code, u.kind, p.code as parent, u.name_ja as first_name_ja, u.name_en as first_name_en,
			  coalesce(n.name_ja, u.name_ja) as name_ja, case when n.name_ja is null then u.name_en else n.name_en end
			  as name_en, u.valid_from, u.valid_to, m.code as merged_into
			from org_unit u left join org_unit p on p.id = u.parent_id left join org_unit m on m.id = u.merged_into
			left join lateral (select name_ja, name_en from org_unit_name where unit_id = u.id and valid_from <= :at
			  order by valid_from desc limit 1) n on true
			""";

	private static Unit unit(ResultSet rs, List<UnitName> names) throws SQLException {
		Timestamp to = rs.getTimestamp("valid_to");
		return new Unit(rs.getString("code"), rs.getString("kind"), rs.getString("parent"), rs.getString("name_ja"),
				rs.getString("name_en"), rs.getTimestamp("valid_from").toInstant(),
				(to != null) ? to.toInstant() : null, rs.getString("merged_into"), names);
	}

}
