package jp.hitotsu.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Groups of accounts of a realm (fed from the system of record through SCIM) and their
 * members. A group means something: a role rule may name it ({@link DirectoryService}), so
 * its members have that role in tokens. Membership is read and written a member at a time,
 * never by loading a whole group.
 */
@Service
public class DirectoryGroups {

	private static final int NAME_LENGTH = 255;

	private final JdbcClient jdbc;

	private final Clock clock;

	DirectoryGroups(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** A group without its members. */
	public record Group(UUID id, String displayName, String externalId, Instant created, Instant updated,
			long version) {
	}

	/** An account in a group, as a list of members shows it. */
	public record Member(UUID id, String username, String displayName) {
	}

	/** A group an account is in. */
	public record Membership(UUID group, String displayName) {
	}

	/** One page of a search and how many groups match in all. */
	public record SearchPage(long total, List<Group> groups) {
	}

	@Transactional
	public Group create(String realm, String displayName, String externalId) {
		check(displayName, externalId);
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into directory_group (id, realm, display_name, external_id, created_at, updated_at, version)
				values (:id, :realm, :name, :externalId, :now, :now, 1)
				""")
			.param("id", id)
			.param("realm", realm)
			.param("name", displayName)
			.param("externalId", externalId)
			.param("now", Timestamp.from(this.clock.instant()))
			.update();
		return find(realm, id).orElseThrow();
	}

	public Optional<Group> find(String realm, UUID id) {
		return this.jdbc.sql(GROUP + "where realm = :realm and id = :id")
			.param("realm", realm)
			.param("id", id)
			.query(DirectoryGroups::group)
			.optional();
	}

	/** The group, or a refusal naming it (the admin API's 404). */
	public Group get(String realm, String id) {
		try {
			return find(realm, UUID.fromString(id)).orElseThrow();
		}
		catch (IllegalArgumentException | java.util.NoSuchElementException ex) {
			throw new UnknownDirectoryEntryException(realm, "group", id);
		}
	}

	/** The group, locked until the transaction ends, so that version checks and writes do not interleave. */
	@Transactional
	public Optional<Group> lock(String realm, UUID id) {
		return this.jdbc.sql(GROUP + "where realm = :realm and id = :id for update")
			.param("realm", realm)
			.param("id", id)
			.query(DirectoryGroups::group)
			.optional();
	}

	/** Sets the names and raises the version (every change of a group, members too, calls it once). */
	@Transactional
	public Group update(String realm, UUID id, String displayName, String externalId) {
		check(displayName, externalId);
		this.jdbc.sql("""
				update directory_group set display_name = :name, external_id = :externalId, updated_at = :now,
				  version = version + 1
				where realm = :realm and id = :id
				""")
			.param("name", displayName)
			.param("externalId", externalId)
			.param("now", Timestamp.from(this.clock.instant()))
			.param("realm", realm)
			.param("id", id)
			.update();
		return find(realm, id).orElseThrow();
	}

	@Transactional
	public boolean delete(String realm, UUID id) {
		return this.jdbc.sql("delete from directory_group where realm = :realm and id = :id")
			.param("realm", realm)
			.param("id", id)
			.update() > 0;
	}

	/**
	 * Of these ids, those that are no account of the realm, in the order given. The
	 * accounts are looked up with {@code = any(...)} on the primary key: an anti-join against
	 * an unnested array was planned for the array's default estimate of 10 rows and took 8 s
	 * for 20,000 ids.
	 */
	public List<UUID> notAccounts(String realm, Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		java.util.Set<UUID> found = new java.util.HashSet<>(this.jdbc
			.sql("select id from account where id = any(cast(:ids as uuid[])) and realm = :realm")
			.param("ids", uuids(ids))
			.param("realm", realm)
			.query(UUID.class)
			.list());
		return ids.stream().filter((id) -> !found.contains(id)).distinct().toList();
	}

	/** Adds accounts (of the group's realm, checked by the caller) to a group; answers those that were not in it. */
	@Transactional
	public List<UUID> addMembers(UUID group, Collection<UUID> accounts) {
		if (accounts.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				insert into directory_group_member (group_id, account_id)
				select :group, id from unnest(cast(:ids as uuid[])) as i (id)
				on conflict do nothing returning account_id
				""")
			.param("group", group)
			.param("ids", uuids(accounts))
			.query(UUID.class)
			.list();
	}

	/** Removes accounts from a group; answers those that were in it. */
	@Transactional
	public List<UUID> removeMembers(UUID group, Collection<UUID> accounts) {
		if (accounts.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				delete from directory_group_member where group_id = :group and account_id = any(cast(:ids as uuid[]))
				returning account_id
				""")
			.param("group", group)
			.param("ids", uuids(accounts))
			.query(UUID.class)
			.list();
	}

	/** Removes every member but these (all of them when none is given); answers those removed. */
	@Transactional
	public List<UUID> removeMembersNotIn(UUID group, Collection<UUID> kept) {
		return this.jdbc.sql("""
				delete from directory_group_member where group_id = :group
				  and not (account_id = any(cast(:ids as uuid[])))
				returning account_id
				""")
			.param("group", group)
			.param("ids", uuids(kept))
			.query(UUID.class)
			.list();
	}

	/** Every member of a group, by username (what a SCIM Group shows). */
	public List<Member> members(UUID group) {
		return this.jdbc.sql(MEMBERS + "order by a.username, a.id")
			.param("group", group)
			.query(DirectoryGroups::member)
			.list();
	}

	/** A page of a group's members, by username. */
	public Page<Member> members(UUID group, int first, int max) {
		Page.check(first, max);
		return Page.of(this.jdbc.sql(MEMBERS + "order by a.username, a.id limit :limit offset :first")
			.param("group", group)
			.param("limit", max + 1)
			.param("first", first)
			.query(DirectoryGroups::member)
			.list(), first, max);
	}

	/** The groups of these accounts, read in one statement; accounts in none are absent. */
	public Map<UUID, List<Membership>> groupsOf(String realm, Collection<UUID> accounts) {
		Map<UUID, List<Membership>> groups = new LinkedHashMap<>();
		if (accounts.isEmpty()) {
			return groups;
		}
		this.jdbc.sql("""
				select m.account_id, g.id, g.display_name from directory_group_member m
				join directory_group g on g.id = m.group_id
				where m.account_id = any(cast(:ids as uuid[])) and g.realm = :realm
				order by g.display_name, g.id
				""")
			.param("ids", uuids(accounts))
			.param("realm", realm)
			.query((ResultSet rs) -> {
				groups.computeIfAbsent(rs.getObject(1, UUID.class), (key) -> new ArrayList<>())
					.add(new Membership(rs.getObject(2, UUID.class), rs.getString(3)));
			});
		return groups;
	}

	/** The realm's groups, by display name (the admin API's list). */
	public Page<Group> list(String realm, int first, int max) {
		Page.check(first, max);
		return Page.of(this.jdbc.sql(GROUP + "where realm = :realm order by lower(display_name), id "
				+ "limit :limit offset :first")
			.param("realm", realm)
			.param("limit", max + 1)
			.param("first", first)
			.query(DirectoryGroups::group)
			.list(), first, max);
	}

	/**
	 * The groups that match a condition, ordered by {@code sort} (display name when absent)
	 * and then id, so that pages neither repeat nor skip.
	 */
	public SearchPage search(String realm, GroupCondition condition, GroupCondition.Field sort, boolean descending,
			int offset, int limit) {
		MapSqlParameterSource params = new MapSqlParameterSource("realm", realm);
		String where = "realm = :realm and " + sql(condition, params);
		long total = this.jdbc.sql("select count(*) from directory_group g where " + where)
			.paramSource(params)
			.query(Long.class)
			.single();
		if (limit == 0) {
			return new SearchPage(total, List.of());
		}
		String direction = descending ? " desc" : "";
		String order = column((sort != null) ? sort : GroupCondition.Field.DISPLAY_NAME) + direction + ", g.id"
				+ direction;
		params.addValue("limit", limit).addValue("offset", offset);
		List<Group> groups = this.jdbc
			.sql(GROUP.replace("from directory_group", "from directory_group g") + "where " + where + " order by "
					+ order + " limit :limit offset :offset")
			.paramSource(params)
			.query(DirectoryGroups::group)
			.list();
		return new SearchPage(total, groups);
	}

	/** The SQL of a condition, its values added to {@code params} under fresh names. */
	private static String sql(GroupCondition condition, MapSqlParameterSource params) {
		if (condition instanceof GroupCondition.Constant constant) {
			return constant.holds() ? "true" : "false";
		}
		if (condition instanceof GroupCondition.All all) {
			return joined(all.conditions(), " and ", params);
		}
		if (condition instanceof GroupCondition.Any any) {
			return joined(any.conditions(), " or ", params);
		}
		if (condition instanceof GroupCondition.Not not) {
			return "not coalesce(" + sql(not.condition(), params) + ", false)";
		}
		if (condition instanceof GroupCondition.Present present) {
			return switch (present.field()) {
				case MEMBER -> "exists (select 1 from directory_group_member m where m.group_id = g.id)";
				case EXTERNAL_ID -> "g.external_id is not null";
				default -> "true";
			};
		}
		return compare((GroupCondition.Compare) condition, params);
	}

	private static String joined(List<GroupCondition> conditions, String operator, MapSqlParameterSource params) {
		List<String> parts = new ArrayList<>();
		conditions.forEach((each) -> parts.add("(" + sql(each, params) + ")"));
		return String.join(operator, parts);
	}

	private static String compare(GroupCondition.Compare compare, MapSqlParameterSource params) {
		String name = "p" + params.getValues().size();
		Object value = compare.value();
		if (value instanceof Instant instant) {
			value = Timestamp.from(instant);
		}
		if (compare.field() == GroupCondition.Field.DISPLAY_NAME) {
			value = ((String) value).toLowerCase(Locale.ROOT);
		}
		if (compare.field() == GroupCondition.Field.MEMBER) {
			params.addValue(name, value);
			String exists = "exists (select 1 from directory_group_member m where m.group_id = g.id"
					+ " and m.account_id = :" + name + ")";
			return (compare.operator() == GroupCondition.Operator.NE) ? "not " + exists : exists;
		}
		String column = column(compare.field());
		return switch (compare.operator()) {
			case CO, SW, EW -> {
				String escaped = ((String) value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
				params.addValue(name, switch (compare.operator()) {
					case CO -> "%" + escaped + "%";
					case SW -> escaped + "%";
					default -> "%" + escaped;
				});
				yield column + " like :" + name;
			}
			default -> {
				params.addValue(name, value);
				yield column + " " + switch (compare.operator()) {
					case EQ -> "=";
					case NE -> "is distinct from";
					case GT -> ">";
					case GE -> ">=";
					case LT -> "<";
					default -> "<=";
				} + " :" + name;
			}
		};
	}

	private static String column(GroupCondition.Field field) {
		return switch (field) {
			case ID -> "g.id";
			case DISPLAY_NAME -> "lower(g.display_name)";
			case EXTERNAL_ID -> "g.external_id";
			case CREATED -> "g.created_at";
			case UPDATED -> "g.updated_at";
			case MEMBER -> throw new IllegalArgumentException("members are no column");
		};
	}

	private static void check(String displayName, String externalId) {
		List<DirectoryError> errors = new ArrayList<>();
		DirectoryService.checkName(errors, "displayName", displayName, true);
		DirectoryService.checkName(errors, "externalId", externalId, false);
		DirectoryService.failIfAny(errors);
	}

	private static final String GROUP = """
			select id, display_name, external_id, created_at, updated_at, version from directory_group
			""";

	private static final String MEMBERS = """
			select a.id, a.username, a.display_name from directory_group_member m join account a on a.id = m.account_id
			where m.group_id = :group
			""";

	private static Group group(ResultSet rs, int row) throws SQLException {
		return new Group(rs.getObject("id", UUID.class), rs.getString("display_name"), rs.getString("external_id"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
				rs.getLong("version"));
	}

	private static Member member(ResultSet rs, int row) throws SQLException {
		return new Member(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3));
	}

	private static String[] uuids(Collection<UUID> ids) {
		return ids.stream().map(UUID::toString).distinct().toArray(String[]::new);
	}

}
