package jp.hitotsu.account;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import org.postgresql.PGConnection;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Loads many accounts from a CSV file at once, without passwords (their owners set one
 * through a reset link to their e-mail address): PostgreSQL COPY into a temporary table,
 * checks on the whole file, then one INSERT ... SELECT. A million rows take minutes, not
 * hours; nothing is kept if any line is bad.
 */
@Service
public class AccountImport {

	/** The columns of the file, in this order, under a header line with these names. */
	public static final List<String> COLUMNS = List.of("username", "email", "family_name", "given_name",
			"display_name", "external_id", "employee_number");

	/** Most bad lines reported. */
	private static final int MAX_ERRORS = 100;

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	private final AuditTrail audit;

	private final Clock clock;

	AccountImport(JdbcClient jdbc, DataSource dataSource, AuditTrail audit, Clock clock) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * An account just imported with staff data, for the directory.
	 */
	public record ImportedStaff(UUID account, String employeeNumber, String familyName, String givenName) {
	}

	/** What an import did. */
	public record Outcome(long accounts, List<ImportedStaff> staff) {
	}

	/** The file was refused: each bad line ({@code line N: field: what}), nothing kept. */
	public static class ImportRefusedException extends RuntimeException {

		private final List<String> problems;

		public ImportRefusedException(List<String> problems) {
			super(String.join("\n", problems));
			this.problems = List.copyOf(problems);
		}

		public List<String> problems() {
			return this.problems;
		}

	}

	/**
	 * Imports the file in the caller's transaction (which must exist: the temporary table
	 * lives until it ends), audited as one {@code ACCOUNTS_IMPORTED} event.
	 * @param source the file's name, for the audit trail
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Outcome importCsv(String realm, Reader csv, String source) {
		this.jdbc.sql("""
				create temporary table import_account (
				  line bigint generated always as identity, username text, email text, family_name text,
				  given_name text, display_name text, external_id text, employee_number text
				) on commit drop
				""").update();
		copy(csv);
		normalizeUsernames();
		check(realm);
		Timestamp now = Timestamp.from(this.clock.instant());
		long accounts = this.jdbc.sql("""
				insert into account (id, realm, username, email, email_verified, given_name, family_name, display_name,
				  enabled, external_id, created_at, updated_at, version)
				select gen_random_uuid(), :realm, username, nullif(btrim(email), ''), coalesce(btrim(email), '') <> '',
				  nullif(given_name, ''), nullif(family_name, ''),
				  coalesce(nullif(display_name, ''), nullif(concat_ws(' ', nullif(family_name, ''), nullif(given_name, '')), '')),
				  true, nullif(external_id, ''), :now, :now, 1
				from import_account order by line
				""").param("realm", realm).param("now", now).update();
		List<ImportedStaff> staff = this.jdbc.sql("""
				select a.id, i.employee_number, i.family_name, i.given_name
				from import_account i join account a on a.realm = :realm and a.username = i.username
				where coalesce(i.employee_number, '') <> '' order by i.line
				""")
			.param("realm", realm)
			.query((rs, row) -> new ImportedStaff(rs.getObject("id", UUID.class), rs.getString("employee_number"),
					rs.getString("family_name"), rs.getString("given_name")))
			.list();
		this.audit.record(AuditEvent.of(realm, AuditEventType.ACCOUNTS_IMPORTED)
			.detail("file", source)
			.detail("accounts", accounts)
			.detail("staff", staff.size())
			.build());
		return new Outcome(accounts, staff);
	}

	private void copy(Reader csv) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("copy import_account (" + String.join(", ", COLUMNS)
						+ ") from stdin (format csv, header match, encoding 'UTF8')", csv);
		}
		catch (SQLException ex) {
			// the server says which line and why (a missing column, a bad header, a stray quote)
			throw new ImportRefusedException(List.of(ex.getMessage()));
		}
		catch (IOException ex) {
			throw new ImportRefusedException(List.of("The file cannot be read: " + ex.getMessage()));
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/**
	 * Usernames are stored as logins compare them ({@link AccountService#normalizeUsername}).
	 * PostgreSQL lower-cases ASCII alike under any collation; the few other names are
	 * normalised here.
	 */
	private void normalizeUsernames() {
		this.jdbc.sql("""
				update import_account set username = lower(btrim(username))
				where username <> lower(btrim(username)) and username !~ '[^\\x01-\\x7F]'
				""").update();
		List<Object[]> others = this.jdbc.sql("select line, username from import_account where username ~ '[^\\x01-\\x7F]'")
			.query((rs, row) -> new Object[] { rs.getLong("line"), rs.getString("username") })
			.list();
		for (Object[] other : others) {
			this.jdbc.sql("update import_account set username = :username where line = :line")
				.param("username", AccountService.normalizeUsername((String) other[1]))
				.param("line", other[0])
				.update();
		}
	}

	private void check(String realm) {
		List<String> problems = new ArrayList<>();
		// a line of the file is the row's number plus the header
		problems.addAll(lines("""
				select line + 1 as line, 'username: required, at most 255 characters' as problem from import_account
				where coalesce(username, '') = '' or length(username) > 255
				union all
				select line + 1, 'username: "' || username || '" appears earlier in the file' from (
				  select line, username, row_number() over (partition by username order by line) as n
				  from import_account where coalesce(username, '') <> '') d where n > 1
				union all
				select i.line + 1, 'username: "' || i.username || '" already exists in the realm'
				from import_account i join account a on a.realm = :realm and a.username = i.username
				union all
				select line + 1, 'email: "' || email || '" is not an e-mail address' from import_account
				where coalesce(btrim(email), '') <> '' and (length(email) > 320 or position('@' in email) < 2)
				union all
				select line + 1, 'family_name, given_name, display_name, external_id: at most 255 characters each'
				from import_account where length(family_name) > 255 or length(given_name) > 255
				  or length(display_name) > 255 or length(external_id) > 255
				union all
				select line + 1, 'employee_number: needs family_name and given_name' from import_account
				where coalesce(employee_number, '') <> '' and (coalesce(family_name, '') = '' or coalesce(given_name, '') = '')
				order by 1 limit :max
				""", realm));
		if (!problems.isEmpty()) {
			throw new ImportRefusedException(problems);
		}
	}

	private List<String> lines(String sql, String realm) {
		return this.jdbc.sql(sql)
			.param("realm", realm)
			.param("max", MAX_ERRORS)
			.query((rs, row) -> "line " + rs.getLong("line") + ": " + rs.getString("problem"))
			.list();
	}

}
