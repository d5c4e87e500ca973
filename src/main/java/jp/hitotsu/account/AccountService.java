package jp.hitotsu.account;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.Realm;
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

	private final PasswordRules passwordRules;

	private final AuditTrail audit;

	AccountService(AccountRepository accounts, PasswordHashing passwords, JdbcClient jdbc, PasswordRules passwordRules,
			AuditTrail audit) {
		this.accounts = accounts;
		this.passwords = passwords;
		this.jdbc = jdbc;
		this.passwordRules = passwordRules;
		this.audit = audit;
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


	/**
	 * Whether the account's password is a temporary one set by an administrator, which its
	 * owner must replace before the login completes.
	 */
	public boolean passwordChangeRequired(String realm, String subject) {
		return parseId(subject).flatMap((id) -> this.jdbc
			.sql("select password_change_required from account where id = :id and realm = :realm")
			.param("id", id)
			.param("realm", realm)
			.query(Boolean.class)
			.optional()).orElse(false);
	}

	/**
	 * Gives the account a new random password that its owner must replace at the next
	 * login. The password is returned this once, to be handed over; only its hash is kept.
	 * Empty when the realm has no such account.
	 */
	@Transactional
	public Optional<String> setTemporaryPassword(String realm, String subject) {
		Optional<AccountEntity> found = parseId(subject).flatMap((id) -> this.accounts.findByRealmAndId(realm, id));
		if (found.isEmpty()) {
			return Optional.empty();
		}
		AccountEntity account = found.get();
		String temporary = TemporaryPasswords.generate();
		account.setPasswordHash(this.passwords.hash(temporary));
		account.setPasswordChangeRequired(true);
		this.audit.record(AuditEvent.of(realm, AuditEventType.PASSWORD_RESET)
			.subject(subject)
			.username(account.getUsername())
			.build());
		return Optional.of(temporary);
	}

	/**
	 * A logged-in person changes their password, confirming it with the current one. Empty
	 * when the change is done; otherwise why it was refused (nothing changes then).
	 */
	@Transactional
	public Optional<PasswordRejection> changePassword(Realm realm, String subject, CharSequence current,
			String chosen, String ipAddress) {
		Optional<AccountEntity> found = parseId(subject)
			.flatMap((id) -> this.accounts.findByRealmAndId(realm.name(), id));
		if (found.isEmpty() || !this.passwords.matches(current, found.get().getPasswordHash())) {
			this.audit.record(AuditEvent.of(realm.name(), AuditEventType.PASSWORD_CHANGED)
				.failure()
				.subject(subject)
				.username(found.map(AccountEntity::getUsername).orElse(null))
				.ipAddress(ipAddress)
				.detail("reason", "current password wrong")
				.build());
			return Optional.of(PasswordRejection.CURRENT_PASSWORD_WRONG);
		}
		return replace(realm, found.get(), chosen, "self-service", ipAddress);
	}

	/**
	 * Sets a password its owner chose without giving the current one: after a temporary
	 * password, or through a reset link. Empty when the change is done; otherwise why it was
	 * refused (nothing changes then).
	 */
	@Transactional
	public Optional<PasswordRejection> replacePassword(Realm realm, String subject, String chosen,
			PasswordReplacement how, String ipAddress) {
		AccountEntity account = parseId(subject).flatMap((id) -> this.accounts.findByRealmAndId(realm.name(), id))
			.orElseThrow(() -> new IllegalArgumentException("No account " + subject + " in realm " + realm.name()));
		return replace(realm, account, chosen, how.auditDetail(), ipAddress);
	}

	/**
	 * The accounts of a realm that a password-reset link may be sent for: enabled, with
	 * this address verified. Several accounts may share one address.
	 */
	public List<Identity> findByVerifiedEmail(String realm, String email) {
		return this.accounts.findVerifiedByEmail(realm, email.strip())
			.stream()
			.map(AccountService::toIdentity)
			.toList();
	}

	/** Why a password is replaced without the current one, as the audit trail records it. */
	public enum PasswordReplacement {

		/** The temporary password an administrator set, replaced at login. */
		TEMPORARY_PASSWORD("temporary password replaced"),
		/** A link sent to the account's e-mail address. */
		RESET_LINK("reset link");

		private final String auditDetail;

		PasswordReplacement(String auditDetail) {
			this.auditDetail = auditDetail;
		}

		String auditDetail() {
			return this.auditDetail;
		}

	}

	private Optional<PasswordRejection> replace(Realm realm, AccountEntity account, String chosen, String how,
			String ipAddress) {
		Optional<PasswordRejection> rejection = this.passwordRules.check(realm.passwordPolicy(), chosen);
		if (rejection.isEmpty() && this.passwords.matches(chosen, account.getPasswordHash())) {
			rejection = Optional.of(PasswordRejection.NOT_NEW);
		}
		if (rejection.isPresent()) {
			return rejection;
		}
		account.setPasswordHash(this.passwords.hash(chosen));
		account.setPasswordChangeRequired(false);
		this.audit.record(AuditEvent.of(realm.name(), AuditEventType.PASSWORD_CHANGED)
			.subject(account.getId().toString())
			.username(account.getUsername())
			.ipAddress(ipAddress)
			.detail("how", how)
			.build());
		return Optional.empty();
	}

	private static Optional<UUID> parseId(String subject) {
		try {
			return Optional.of(UUID.fromString(subject));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
