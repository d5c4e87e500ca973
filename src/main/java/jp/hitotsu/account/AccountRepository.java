package jp.hitotsu.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The account rows AccountService reads whole and writes back, in plain SQL: each write
 * names the columns its change touches, in the caller's transaction. A write of what SCIM
 * and the admin API show raises the account's version (their ETag); a new password hash
 * does not, since neither shows it.
 */
@Repository
class AccountRepository {

	/** One account with its roles (aggregated in the same query) and password hash. */
	private static final String SELECT = """
			select a.id, a.realm, a.username, a.display_name, a.given_name, a.family_name, a.email,
			  a.email_verified, a.enabled, a.phone_number, a.password_hash,
			  array(select r.role from account_role r where r.account_id = a.id order by r.role) as roles
			from account a
			""";

	private final JdbcClient jdbc;

	private final AccountCache cache;

	AccountRepository(JdbcClient jdbc, AccountCache cache) {
		this.jdbc = jdbc;
		this.cache = cache;
	}

	/**
	 * An account as stored.
	 * @param passwordHash the encoded hash, or null for an account without a password
	 */
	record StoredAccount(Identity identity, String passwordHash) {

		UUID id() {
			return this.identity.id();
		}

		String username() {
			return this.identity.username();
		}

	}

	Optional<StoredAccount> findById(String realm, UUID id) {
		return findOne(realm, "a.id = :key", id);
	}

	/** @param username as stored: normalised ({@link AccountService#normalizeUsername}) */
	Optional<StoredAccount> findByUsername(String realm, String username) {
		return findOne(realm, "a.username = :key", username);
	}

	/** @param condition on a unique key of the realm's accounts, its value bound as {@code :key} */
	private Optional<StoredAccount> findOne(String realm, String condition, Object key) {
		return this.jdbc.sql(SELECT + "where a.realm = :realm and " + condition)
			.param("realm", realm)
			.param("key", key)
			.query(AccountRepository::row)
			.optional();
	}

	/**
	 * The accounts of the realm with this address, oldest first; addresses compare without
	 * regard to case.
	 * @param verifiedAndEnabled only enabled accounts whose address is verified
	 */
	List<StoredAccount> findByEmail(String realm, String email, boolean verifiedAndEnabled) {
		return this.jdbc.sql(SELECT + """
				where a.realm = :realm and lower(a.email) = lower(:email)
				  and (not :verifiedAndEnabled or (a.email_verified and a.enabled))
				order by a.created_at, a.id
				""")
			.param("realm", realm)
			.param("email", email)
			.param("verifiedAndEnabled", verifiedAndEnabled)
			.query(AccountRepository::row)
			.list();
	}

	/**
	 * Stores a new account with its roles; a username the realm already has fails with a
	 * {@link org.springframework.dao.DuplicateKeyException}.
	 * @param person the kana and romanised name to keep, or null for none (names and phone
	 * number are the identity's)
	 * @param passwordHash the encoded hash, or null for an account without a password
	 */
	void insert(Identity account, Person person, String passwordHash, Instant now) {
		this.jdbc.sql("""
				insert into account (id, realm, username, email, email_verified, given_name, family_name, display_name,
				  family_name_kana, given_name_kana, romanised_name, phone_number, enabled, password_hash, created_at,
				  updated_at)
				values (:id, :realm, :username, :email, :emailVerified, :givenName, :familyName, :displayName,
				  :familyNameKana, :givenNameKana, :romanisedName, :phoneNumber, :enabled, :passwordHash, :now, :now)
				""")
			.param("id", account.id())
			.param("realm", account.realm())
			.param("username", account.username())
			.param("email", account.email())
			.param("emailVerified", account.emailVerified())
			.param("givenName", account.givenName())
			.param("familyName", account.familyName())
			.param("displayName", account.name())
			.param("familyNameKana", (person != null) ? person.familyNameKana() : null)
			.param("givenNameKana", (person != null) ? person.givenNameKana() : null)
			.param("romanisedName", (person != null) ? person.romanisedName() : null)
			.param("phoneNumber", account.phoneNumber())
			.param("enabled", account.enabled())
			.param("passwordHash", passwordHash)
			.param("now", Timestamp.from(now))
			.update();
		addRoles(account.id(), account.roles());
	}

	/**
	 * Makes the account's username, names, address, enabled flag and roles the identity's
	 * (its phone number is left alone); a username another account has fails with a
	 * {@link org.springframework.dao.DuplicateKeyException}.
	 */
	void update(Identity account, Instant now) {
		this.jdbc.sql("""
				update account set username = :username, given_name = :givenName, family_name = :familyName,
				  display_name = :displayName, email = :email, email_verified = :emailVerified, enabled = :enabled,
				  updated_at = :now, version = version + 1
				where id = :id and realm = :realm
				""")
			.param("username", account.username())
			.param("givenName", account.givenName())
			.param("familyName", account.familyName())
			.param("displayName", account.name())
			.param("email", account.email())
			.param("emailVerified", account.emailVerified())
			.param("enabled", account.enabled())
			.param("now", Timestamp.from(now))
			.param("id", account.id())
			.param("realm", account.realm())
			.update();
		this.jdbc.sql("delete from account_role where account_id = :id").param("id", account.id()).update();
		addRoles(account.id(), account.roles());
		this.cache.changed(account.id());
	}

	/**
	 * A new password hash.
	 * @param changeRequired whether its owner must choose another at the next login
	 */
	void setPassword(UUID id, String passwordHash, boolean changeRequired, Instant now) {
		this.jdbc.sql("""
				update account set password_hash = :hash, password_change_required = :required, updated_at = :now
				where id = :id
				""")
			.param("hash", passwordHash)
			.param("required", changeRequired)
			.param("now", Timestamp.from(now))
			.param("id", id)
			.update();
	}

	private void addRoles(UUID id, Collection<String> roles) {
		if (roles.isEmpty()) {
			return;
		}
		this.jdbc.sql("insert into account_role (account_id, role) select :id, unnest(cast(:roles as text[]))")
			.param("id", id)
			.param("roles", roles.toArray(String[]::new))
			.update();
	}

	private static StoredAccount row(ResultSet rs, int row) throws SQLException {
		String[] roles = (String[]) rs.getArray("roles").getArray();
		return new StoredAccount(new Identity(rs.getObject("id", UUID.class), rs.getString("realm"),
				rs.getString("username"), rs.getString("display_name"), rs.getString("given_name"),
				rs.getString("family_name"), rs.getString("email"), rs.getBoolean("email_verified"), Set.of(roles),
				rs.getBoolean("enabled"), rs.getString("phone_number")), rs.getString("password_hash"));
	}

}
