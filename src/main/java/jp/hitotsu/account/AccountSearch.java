package jp.hitotsu.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Finds accounts of a realm for the SCIM and admin APIs. A condition becomes one SQL
 * statement built only from the fixed expressions of {@link AccountField} and fixed
 * operators, every value a bound parameter. Orders are always total (the sort field, then
 * the id), so pages neither repeat nor skip an account while nothing changes.
 */
@Service
public class AccountSearch {

	static final String COLUMNS = """
			select a.id, a.realm, a.username, a.external_id, a.email, a.email_verified, a.given_name, a.family_name,
			  a.display_name, a.enabled, a.created_at, a.updated_at, a.version, s.employee_number
			from account a left join staff s on s.account_id = a.id and s.realm = a.realm
			""";

	private static final String ACCOUNTS = " from account a where a.realm = :realm and ";

	private static final String ACCOUNTS_WITH_STAFF = """
			 from account a left join staff s on s.account_id = a.id and s.realm = a.realm
			where a.realm = :realm and\s""";

	/**
	 * Up to how many matches a page is taken from all the matches, sorted, rather than by
	 * walking the sort order's index until the page is full. Walking finds a page of a
	 * frequent match at once (17,000 people named 佐藤 over a million accounts: the first 20
	 * come within about 1,200 usernames) but must pass over most of the realm for a rare one
	 * (35 people with a common family name and a given name: 670,000 usernames, 260 ms).
	 * Fetching the matches costs one row each (4,000 matches: 54 ms, where walking took
	 * 6,000 usernames): about even at a thousand over a million accounts.
	 */
	static final long FEW_MATCHES = 1000;

	private final JdbcClient jdbc;

	AccountSearch(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** One page of a search and how many accounts match in all. */
	public record Page(long total, List<AccountRecord> accounts) {
	}

	/**
	 * @param sortBy the field to order by (then the id), or {@code null} for the username
	 * @param offset accounts to skip (0 for the first page)
	 * @param count most accounts to return; 0 answers the total only
	 */
	public Page search(String realm, AccountCondition condition, AccountField sortBy, boolean descending, int offset,
			int count) {
		Statement where = new Statement(realm);
		where.append(condition);
		String from = from(condition);
		long total = where.bind(this.jdbc.sql("select count(*)" + from + where.sql)).query(Long.class).single();
		if (count == 0 || total <= offset) {
			return new Page(total, List.of());
		}
		AccountField order = (sortBy != null) ? sortBy : AccountField.USERNAME;
		String direction = descending ? " desc" : "";
		// the same statement either way; only the plan PostgreSQL can choose differs
		String matches = (total <= FEW_MATCHES)
				? "with matches as materialized (select a.id" + from + where.sql + ") " + COLUMNS
						+ "where a.realm = :realm and a.id in (select id from matches)"
				: COLUMNS + "where a.realm = :realm and " + where.sql;
		String sql = matches + " order by " + order.expression() + direction + (descending ? " nulls last" : "")
				+ ", a.id" + direction + " offset :offset limit :limit";
		List<AccountRecord> page = where.bind(this.jdbc.sql(sql))
			.param("offset", offset)
			.param("limit", count)
			.query(AccountSearch::record)
			.list();
		return new Page(total, page);
	}

	/**
	 * The quick search of the admin console: accounts whose username, e-mail address,
	 * family or given name starts with {@code text} (without regard to case), or whose
	 * employee number does, in username order after {@code after}. Each field is looked up
	 * on its own index and only the first {@code limit} of each are merged, so a prefix
	 * shared by many accounts costs no more than {@code limit} rows per field.
	 */
	public List<AccountRecord> quickSearch(String realm, String text, String after, int limit) {
		String prefix = likePrefix(text.strip());
		String branch = """
				(select a.id, a.username from account a %s
				 where a.realm = :realm and %s like %s escape '\\' and a.username > :after
				 order by a.username limit :limit)
				""";
		String staffJoin = "join staff s on s.account_id = a.id and s.realm = a.realm";
		String sql = "with hits as (" + String.join(" union ",
				branch.formatted("", "a.username", "lower(:prefix)"),
				branch.formatted("", "lower(a.email)", "lower(:prefix)"),
				branch.formatted("", "lower(a.family_name)", "lower(:prefix)"),
				branch.formatted("", "lower(a.given_name)", "lower(:prefix)"),
				branch.formatted(staffJoin, "s.employee_number", ":prefix"))
				+ ") " + COLUMNS + "where a.id in (select id from hits) order by a.username limit :limit";
		return this.jdbc.sql(sql)
			.param("realm", realm)
			.param("prefix", prefix)
			.param("after", (after != null) ? after : "")
			.param("limit", limit)
			.query(AccountSearch::record)
			.list();
	}

	/** The account with this id in the realm. */
	public Optional<AccountRecord> find(String realm, UUID id) {
		return this.jdbc.sql(COLUMNS + "where a.realm = :realm and a.id = :id")
			.param("realm", realm)
			.param("id", id)
			.query(AccountSearch::record)
			.optional();
	}

	/**
	 * The accounts a condition reads. Without the staff join unless the condition reads
	 * the employee number or the manager: the join needs {@code a.id}, which keeps PostgreSQL from counting
	 * a name prefix from the index alone (V113).
	 */
	private static String from(AccountCondition condition) {
		return (uses(condition, AccountField.EMPLOYEE_NUMBER) || uses(condition, AccountField.MANAGER))
				? ACCOUNTS_WITH_STAFF : ACCOUNTS;
	}

	static boolean uses(AccountCondition condition, AccountField field) {
		if (condition instanceof AccountCondition.Compare compare) {
			return compare.field() == field;
		}
		if (condition instanceof AccountCondition.Present present) {
			return present.field() == field;
		}
		if (condition instanceof AccountCondition.All all) {
			return all.conditions().stream().anyMatch((each) -> uses(each, field));
		}
		if (condition instanceof AccountCondition.Any any) {
			return any.conditions().stream().anyMatch((each) -> uses(each, field));
		}
		return (condition instanceof AccountCondition.Not not) && uses(not.condition(), field);
	}

	static AccountRecord record(ResultSet rs, int row) throws SQLException {
		return new AccountRecord(rs.getObject("id", UUID.class), rs.getString("realm"), rs.getString("username"),
				rs.getString("external_id"), rs.getString("email"), rs.getBoolean("email_verified"),
				rs.getString("given_name"), rs.getString("family_name"), rs.getString("display_name"),
				rs.getBoolean("enabled"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant(), rs.getLong("version"), rs.getString("employee_number"));
	}

	/** A LIKE pattern matching values that start with the text, taken literally. */
	static String likePrefix(String text) {
		return escapeLike(text) + "%";
	}

	private static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	/** A WHERE clause being built and the values it binds. */
	private static final class Statement {

		private final StringBuilder sql = new StringBuilder();

		private final Map<String, Object> parameters = new LinkedHashMap<>();

		Statement(String realm) {
			this.parameters.put("realm", realm);
		}

		JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
			this.parameters.forEach(statement::param);
			return statement;
		}

		void append(AccountCondition condition) {
			if (condition instanceof AccountCondition.Constant constant) {
				this.sql.append(constant.value());
			}
			else if (condition instanceof AccountCondition.Not not) {
				// a missing field is neither equal nor unequal to a value: "not" counts it as not matching
				this.sql.append("not coalesce((");
				append(not.condition());
				this.sql.append("), false)");
			}
			else if (condition instanceof AccountCondition.All all) {
				join(all.conditions(), " and ", true);
			}
			else if (condition instanceof AccountCondition.Any any) {
				join(any.conditions(), " or ", false);
			}
			else if (condition instanceof AccountCondition.Present present) {
				AccountField field = present.field();
				this.sql.append(field.expression()).append(" is not null");
				if (field.isText()) {
					this.sql.append(" and ").append(field.expression()).append(" <> ''");
				}
			}
			else {
				compare((AccountCondition.Compare) condition);
			}
		}

		private void join(List<AccountCondition> conditions, String operator, boolean empty) {
			if (conditions.isEmpty()) {
				this.sql.append(empty);
				return;
			}
			this.sql.append('(');
			for (int i = 0; i < conditions.size(); i++) {
				if (i > 0) {
					this.sql.append(operator);
				}
				append(conditions.get(i));
			}
			this.sql.append(')');
		}

		private void compare(AccountCondition.Compare compare) {
			AccountField field = compare.field();
			AccountCondition.Operator operator = compare.operator();
			Object value = compare.value();
			String expression = field.expression();
			if (field.kind() == AccountField.Kind.ID) {
				Optional<UUID> id = uuid(value);
				if (operator == AccountCondition.Operator.EQ || operator == AccountCondition.Operator.NE) {
					boolean equal = operator == AccountCondition.Operator.EQ;
					this.sql.append(id.isEmpty() ? String.valueOf(!equal)
							: expression + (equal ? " = " : " <> ") + bind(id.get()));
					return;
				}
				expression = "cast(" + expression + " as text)";
			}
			String parameter = switch (field.kind()) {
				case USERNAME -> bind(AccountService.normalizeUsername(String.valueOf(value)));
				case CASE_INSENSITIVE -> "lower(" + bind(String.valueOf(value)) + ")";
				case TIME -> bind(Timestamp.from((Instant) value));
				case BOOLEAN -> bind(value);
				default -> bind(String.valueOf(value));
			};
			switch (operator) {
				case EQ -> this.sql.append(expression).append(" = ").append(parameter);
				case NE -> this.sql.append('(')
					.append(expression)
					.append(" is null or ")
					.append(expression)
					.append(" <> ")
					.append(parameter)
					.append(')');
				case GT -> this.sql.append(expression).append(" > ").append(parameter);
				case GE -> this.sql.append(expression).append(" >= ").append(parameter);
				case LT -> this.sql.append(expression).append(" < ").append(parameter);
				case LE -> this.sql.append(expression).append(" <= ").append(parameter);
				case CO, SW, EW -> {
					String text = (field.kind() == AccountField.Kind.USERNAME)
							? AccountService.normalizeUsername(String.valueOf(value)) : String.valueOf(value);
					String pattern = switch (operator) {
						case CO -> "%" + escapeLike(text) + "%";
						case SW -> escapeLike(text) + "%";
						default -> "%" + escapeLike(text);
					};
					boolean substring = operator != AccountCondition.Operator.SW;
					String fold = substring ? field.substringFold()
							: (field.kind() == AccountField.Kind.CASE_INSENSITIVE) ? "lower" : null;
					String bound = bind(pattern);
					// an id is compared as text (expression above), whatever the operator
					boolean onIndex = substring && field.kind() != AccountField.Kind.ID;
					this.sql.append(onIndex ? field.substringExpression() : expression)
						.append(" like ")
						.append((fold != null) ? fold + "(" + bound + ")" : bound)
						.append(" escape '\\'");
				}
			}
		}

		private String bind(Object value) {
			String name = "p" + this.parameters.size();
			this.parameters.put(name, value);
			return ":" + name;
		}

		private static Optional<UUID> uuid(Object value) {
			try {
				return Optional.of(UUID.fromString(String.valueOf(value)));
			}
			catch (IllegalArgumentException ex) {
				return Optional.empty();
			}
		}

	}

}
