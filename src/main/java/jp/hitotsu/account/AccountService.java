package jp.hitotsu.account;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jp.hitotsu.realm.RealmProvisionedEvent;
import jp.hitotsu.realm.UserDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts of every realm: the door other features use (never the repository).
 */
@Service
public class AccountService {

	private static final Logger logger = LoggerFactory.getLogger(AccountService.class);

	private final AccountRepository accounts;

	private final PasswordHashing passwords;

	private final JdbcClient jdbc;

	AccountService(AccountRepository accounts, PasswordHashing passwords, JdbcClient jdbc) {
		this.accounts = accounts;
		this.passwords = passwords;
		this.jdbc = jdbc;
	}

	/**
	 * Checks a username and password in a realm. Unknown usernames, wrong passwords and
	 * disabled accounts all answer empty after the same work (one password hash), so the
	 * answer and its timing reveal nothing about which accounts exist.
	 */
	@Transactional
	public Optional<Identity> authenticate(String realm, String username, CharSequence password) {
		Optional<AccountEntity> found = this.accounts.findByRealmAndUsername(realm, normalizeUsername(username));
		if (found.isEmpty()) {
			this.passwords.spendDecoyCheck(password);
			return Optional.empty();
		}
		AccountEntity account = found.get();
		if (!this.passwords.matches(password, account.getPasswordHash()) || !account.isEnabled()) {
			return Optional.empty();
		}
		if (this.passwords.needsUpgrade(account.getPasswordHash())) {
			account.setPasswordHash(this.passwords.hash(password));
		}
		return Optional.of(toIdentity(account));
	}

	/**
	 * The account behind a token's subject. It is on every token response and UserInfo
	 * call, so it is one plain query (roles aggregated in it), not an entity load.
	 */
	public Optional<Identity> find(String realm, String subject) {
		UUID id;
		try {
			id = UUID.fromString(subject);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return this.jdbc.sql("""
				select a.id, a.realm, a.username, a.display_name, a.given_name, a.family_name, a.email,
				  a.email_verified, a.enabled,
				  array(select r.role from account_role r where r.account_id = a.id order by r.role) as roles
				from account a where a.id = :id and a.realm = :realm
				""").param("id", id).param("realm", realm).query((rs, row) -> {
			String[] roles = (String[]) rs.getArray("roles").getArray();
			return new Identity(rs.getObject("id", UUID.class), rs.getString("realm"), rs.getString("username"),
					rs.getString("display_name"), rs.getString("given_name"), rs.getString("family_name"),
					rs.getString("email"), rs.getBoolean("email_verified"), Set.of(roles), rs.getBoolean("enabled"));
		}).optional();
	}

	@EventListener
	@Transactional
	public void onRealmProvisioned(RealmProvisionedEvent event) {
		String realm = event.definition().name();
		for (UserDefinition user : event.definition().users()) {
			String username = normalizeUsername(user.username());
			if (this.accounts.findByRealmAndUsername(realm, username).isPresent()) {
				continue;
			}
			AccountEntity account = new AccountEntity(UUID.randomUUID(), realm, username);
			account.setEmail(user.email(), user.emailVerified());
			String displayName = (user.name() != null) ? user.name() : joinNames(user.familyName(), user.givenName());
			account.setNames(user.givenName(), user.familyName(), displayName);
			account.setEnabled(user.enabled());
			if (user.password() != null) {
				account.setPasswordHash(this.passwords.hash(user.password()));
			}
			account.getRoles().addAll(user.roles());
			this.accounts.save(account);
			logger.info("Created account '{}' in realm '{}'", username, realm);
		}
	}

	/**
	 * Usernames compare without regard to case or Unicode width: "Tanaka", "tanaka" and
	 * "ｔａｎａｋａ" are one account.
	 */
	static String normalizeUsername(String username) {
		return Normalizer.normalize(username.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
	}

	private static String joinNames(String familyName, String givenName) {
		if (familyName == null) {
			return givenName;
		}
		return (givenName == null) ? familyName : familyName + " " + givenName;
	}

	private static Identity toIdentity(AccountEntity account) {
		return new Identity(account.getId(), account.getRealm(), account.getUsername(), account.getDisplayName(),
				account.getGivenName(), account.getFamilyName(), account.getEmail(), account.isEmailVerified(),
				Set.copyOf(account.getRoles()), account.isEnabled());
	}

}
