package jp.hitotsu.account;

import java.sql.Timestamp;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jp.hitotsu.account.AccountRepository.StoredAccount;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.keys.SealedSecrets;
import jp.hitotsu.realm.BruteForcePolicy;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmProvisionedEvent;
import jp.hitotsu.realm.RealmRegistry;
import jp.hitotsu.realm.UserDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts of every realm: the door other features use (never the repository).
 */
@Service
public class AccountService {

	private static final Logger logger = LoggerFactory.getLogger(AccountService.class);

	private final AccountRepository accounts;

	private final PasswordHashing passwords;

	/** The audit detail that says why a login failed; never shown to the person typing. */
	private static final String REASON = "reason";

	private final JdbcClient jdbc;

	private final PasswordRules passwordRules;

	private final RealmRegistry realms;

	private final LoginThrottle throttle;

	private final AuditTrail audit;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final Passkeys passkeys;

	private final SealedSecrets secrets;

	private final AccountCache cache;

	AccountService(AccountRepository accounts, PasswordHashing passwords, JdbcClient jdbc, PasswordRules passwordRules,
			RealmRegistry realms, LoginThrottle throttle, AuditTrail audit, TransactionTemplate transactions,
			Clock clock, ApplicationEventPublisher events, Passkeys passkeys, SealedSecrets secrets,
			AccountCache cache) {
		this.cache = cache;
		this.passkeys = passkeys;
		this.secrets = secrets;
		this.accounts = accounts;
		this.passwords = passwords;
		this.jdbc = jdbc;
		this.passwordRules = passwordRules;
		this.realms = realms;
		this.throttle = throttle;
		this.audit = audit;
		this.transactions = transactions;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Checks a username and password in a realm, within its brute-force limits. Unknown
	 * usernames, wrong passwords, disabled, locked and delayed accounts and throttled
	 * client addresses all answer empty after the same work (one password hash), so
	 * neither the answer nor its timing tells which it was; only the audit trail does.
	 * @param ipAddress the client's address, for the per-address limit and the audit trail
	 */
	public Optional<Identity> authenticate(String realm, String username, CharSequence password, String ipAddress) {
		BruteForcePolicy policy = this.realms.get(realm).bruteForce();
		Instant now = this.clock.instant();
		AuditEvent.Builder failure = AuditEvent.of(realm, AuditEventType.LOGIN_FAILED).failure().ipAddress(ipAddress);
		LoginThrottle.AddressAttempt address = this.throttle.countAddressAttempt(realm, ipAddress, policy, now);
		if (!address.allowed()) {
			this.passwords.spendDecoyCheck(password);
			this.audit.record(failure.username(storable(username)).detail(REASON, "throttled_ip").build());
			return Optional.empty();
		}
		String normalized = normalizeUsername(username);
		Optional<StoredAccount> found = normalized.equals(storable(normalized))
				? this.accounts.findByUsername(realm, normalized) : Optional.empty();
		if (found.isEmpty()) {
			this.passwords.spendDecoyCheck(password);
			this.audit.record(failure.username(storable(username)).detail(REASON, "unknown_user").build());
			return Optional.empty();
		}
		StoredAccount account = found.get();
		failure.subject(account.id().toString()).username(account.username());
		if (!account.identity().enabled()) {
			this.passwords.spendDecoyCheck(password);
			this.audit.record(failure.detail(REASON, "disabled").build());
			return Optional.empty();
		}
		LoginThrottle.AccountAttempt attempt = this.transactions
			.execute((status) -> this.throttle.admitAccountAttempt(account.id(), policy, now));
		if (!attempt.admitted()) {
			this.passwords.spendDecoyCheck(password);
			LockStatus refusal = attempt.refusal();
			Instant until = refusal.locked() ? refusal.lockedUntil() : refusal.delayedUntil();
			this.audit.record(failure.detail(REASON, refusal.locked() ? "locked" : "delayed")
				.detail("until", (until != null) ? until.toString() : null)
				.build());
			return Optional.empty();
		}
		if (!this.passwords.matches(password, account.passwordHash())) {
			this.transactions.executeWithoutResult((status) -> recordBadPassword(failure, attempt));
			return Optional.empty();
		}
		// hashed before the transaction, like every hash here: no row stays locked meanwhile
		String upgradedHash = this.passwords.needsUpgrade(account.passwordHash()) ? this.passwords.hash(password)
				: null;
		this.transactions.executeWithoutResult((status) -> {
			this.throttle.reset(account.id(), policy, now);
			this.throttle.giveBack(address);
			if (attempt.earlierLockEnded()) {
				this.audit.record(AuditEvent.of(realm, AuditEventType.ACCOUNT_UNLOCKED)
					.subject(account.id().toString())
					.username(account.username())
					.ipAddress(ipAddress)
					.detail(REASON, "lock_expired")
					.build());
			}
			if (upgradedHash != null) {
				updatePasswordHash(account.id(), upgradedHash);
			}
		});
		return Optional.of(account.identity());
	}

	private void recordBadPassword(AuditEvent.Builder failure, LoginThrottle.AccountAttempt attempt) {
		AuditEvent failed = failure.detail(REASON, "bad_password").detail("failures", attempt.failures()).build();
		this.audit.record(failed);
		if (attempt.lockedUntil() != null) {
			this.audit.record(AuditEvent.of(failed.realm(), AuditEventType.ACCOUNT_LOCKED)
				.subject(failed.subject())
				.username(failed.username())
				.ipAddress(failed.ipAddress())
				.detail("failures", attempt.failures())
				.detail("until", attempt.lockedUntil().toString())
				.build());
		}
	}

	/**
	 * Where an account stands in brute-force defence, or empty when the realm has no
	 * account with that subject.
	 */
	public Optional<LockStatus> lockStatus(String realm, String subject) {
		BruteForcePolicy policy = this.realms.get(realm).bruteForce();
		return find(realm, subject).map((identity) -> this.throttle.status(identity.id(), policy, this.clock.instant()));
	}

	/**
	 * Clears an account's failures, delay and lock, audited as {@code ACCOUNT_UNLOCKED}
	 * with who cleared it. Answers the status it had, or empty when the realm has no
	 * account with that subject.
	 * @param clearedBy who cleared it (an administrator's subject), for the audit trail
	 * @param ipAddress where the request came from, for the audit trail
	 */
	@Transactional
	public Optional<LockStatus> clearLock(String realm, String subject, String clearedBy, String ipAddress) {
		BruteForcePolicy policy = this.realms.get(realm).bruteForce();
		Instant now = this.clock.instant();
		return find(realm, subject).map((identity) -> {
			LockStatus before = this.throttle.reset(identity.id(), policy, now).orElse(LockStatus.CLEAR);
			this.audit.record(AuditEvent.of(realm, AuditEventType.ACCOUNT_UNLOCKED)
				.subject(identity.subject())
				.username(identity.username())
				.ipAddress(ipAddress)
				.detail(REASON, "administrator")
				.detail("actor", clearedBy)
				.detail("failures", before.failures())
				.detail("wasLocked", before.locked())
				.build());
			return before;
		});
	}

	private void updatePasswordHash(UUID account, String hash) {
		this.jdbc.sql("update account set password_hash = :hash, updated_at = :now where id = :id")
			.param("hash", hash)
			.param("now", Timestamp.from(this.clock.instant()))
			.param("id", account)
			.update();
	}

	/**
	 * The account behind a token's subject. It is on every token response and UserInfo
	 * call, so it is kept in memory ({@link AccountCache}) and otherwise one query (roles
	 * aggregated in it).
	 */
	public Optional<Identity> find(String realm, String subject) {
		return parseId(subject).flatMap((id) -> this.cache.find(realm, id,
				() -> this.accounts.findById(realm, id).map(StoredAccount::identity)));
	}

	/**
	 * Creates an enabled account without a password (its owner gets one through a
	 * temporary password or a reset link), in the caller's transaction.
	 * @param reason why, for the audit trail (e.g. the directory bundle that brought them in)
	 */
	@Transactional
	public Identity create(String realm, String username, String familyName, String givenName, String reason) {
		UUID id = createAll(realm, List.of(new NewAccount(username, familyName, givenName)), reason).get(0);
		return find(realm, id.toString()).orElseThrow();
	}

	/** An account to create: its username and names. */
	public record NewAccount(String username, String familyName, String givenName) {
	}

	/**
	 * Creates enabled accounts without a password, as {@link #create} does, in the caller's
	 * transaction: one insert and one multi-row audit insert of their {@code ACCOUNT_CREATED}
	 * events whatever their number (a transfer batch's thousands of joiners). A username
	 * already taken fails the whole statement.
	 * @param reason why, for the audit trail of each (e.g. the transfer batch)
	 * @return the new accounts' ids, in the order given
	 */
	@Transactional
	public List<UUID> createAll(String realm, List<NewAccount> accounts, String reason) {
		List<UUID> ids = accounts.stream().map((account) -> UUID.randomUUID()).toList();
		List<String> usernames = accounts.stream().map((account) -> normalizeUsername(account.username())).toList();
		// one statement for them all: a transfer batch brings thousands
		this.jdbc.sql("""
				insert into account (id, realm, username, given_name, family_name, display_name, enabled, created_at,
				  updated_at)
				select cast(a.id as uuid), :realm, a.username, a.given, a.family, a.display, true, :now, :now
				from unnest(cast(:ids as text[]), cast(:usernames as text[]), cast(:given as text[]),
				  cast(:family as text[]), cast(:display as text[])) as a (id, username, given, family, display)
				""")
			.param("realm", realm)
			.param("now", Timestamp.from(this.clock.instant()))
			.param("ids", ids.stream().map(UUID::toString).toArray(String[]::new))
			.param("usernames", usernames.toArray(String[]::new))
			.param("given", accounts.stream().map(NewAccount::givenName).toArray(String[]::new))
			.param("family", accounts.stream().map(NewAccount::familyName).toArray(String[]::new))
			.param("display", accounts.stream()
				.map((account) -> joinNames(account.familyName(), account.givenName()))
				.toArray(String[]::new))
			.update();
		List<AuditEvent> created = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			created.add(AuditEvent.of(realm, AuditEventType.ACCOUNT_CREATED)
				.subject(ids.get(i).toString())
				.username(usernames.get(i))
				.detail(REASON, reason)
				.build());
		}
		this.audit.recordAll(created);
		return ids;
	}

	/**
	 * Disables an account: it can no longer log in or get tokens, and
	 * {@link AccountDisabledEvent} ends what it holds, in the caller's transaction.
	 * @param reason why, for the audit trail
	 */
	@Transactional
	public void disable(String realm, UUID id, String reason) {
		int changed = this.jdbc.sql("""
				update account set enabled = false, updated_at = :now, version = version + 1
				where id = :id and realm = :realm
				""")
			.param("now", Timestamp.from(this.clock.instant()))
			.param("id", id)
			.param("realm", realm)
			.update();
		this.cache.changed(id);
		if (changed == 0) {
			throw new IllegalArgumentException("No account " + id + " in realm " + realm);
		}
		this.audit.record(AuditEvent.of(realm, AuditEventType.ACCOUNT_DISABLED)
			.subject(id.toString())
			.detail(REASON, reason)
			.build());
		this.events.publishEvent(new AccountDisabledEvent(realm, id.toString()));
	}

	/**
	 * What a directory bundle says of an account, applied to an account of the importing
	 * realm: names, e-mail and realm roles become exactly these, and the account is enabled.
	 * Never a credential.
	 */
	public record Profile(String username, String name, String givenName, String familyName, String email,
			boolean emailVerified, Set<String> roles) {
	}

	/**
	 * Makes an account what the profile says, in the caller's transaction.
	 * @return whether anything changed
	 */
	@Transactional
	public boolean applyProfile(String realm, UUID id, Profile profile) {
		Identity before = this.accounts.findById(realm, id)
			.map(StoredAccount::identity)
			.orElseThrow(() -> new IllegalArgumentException("No account " + id + " in realm " + realm));
		Identity after = new Identity(id, realm, normalizeUsername(profile.username()),
				(profile.name() != null) ? profile.name() : joinNames(profile.familyName(), profile.givenName()),
				profile.givenName(), profile.familyName(), profile.email(), profile.emailVerified(),
				Set.copyOf(profile.roles()), true, before.phoneNumber());
		if (before.equals(after)) {
			return false;
		}
		// a taken username fails here
		this.accounts.update(after, this.clock.instant());
		return true;
	}

	/** The account of a realm with this username (compared as logins compare them). */
	public Optional<Identity> findByUsername(String realm, String username) {
		return this.accounts.findByUsername(realm, normalizeUsername(username)).map(StoredAccount::identity);
	}

	/** The accounts of a realm that hold a realm role (from the realm file or a bundle). */
	public Set<UUID> withRole(String realm, String role) {
		return Set.copyOf(this.jdbc.sql("""
				select a.id from account a join account_role r on r.account_id = a.id
				where a.realm = :realm and r.role = :role
				""").param("realm", realm).param("role", role).query(UUID.class).list());
	}

	/**
	 * Enables a disabled account again (e.g. a leaver whose leaving was reverted); what was
	 * ended when it was disabled stays ended.
	 * @param reason why, for the audit trail
	 * @return whether it was disabled
	 */
	@Transactional
	public boolean enable(String realm, UUID id, String reason) {
		int changed = this.jdbc
			.sql("""
				update account set enabled = true, updated_at = :now, version = version + 1
				where id = :id and realm = :realm and not enabled
				""")
			.param("now", Timestamp.from(this.clock.instant()))
			.param("id", id)
			.param("realm", realm)
			.update();
		this.cache.changed(id);
		if (changed > 0) {
			this.audit.record(AuditEvent.of(realm, AuditEventType.ACCOUNT_ENABLED)
				.subject(id.toString())
				.detail(REASON, reason)
				.build());
		}
		return changed > 0;
	}

	/** Which of these usernames (compared as logins compare them) the realm already has. */
	public Set<String> existingUsernames(String realm, Collection<String> usernames) {
		String[] normalized = usernames.stream().map(AccountService::normalizeUsername).toArray(String[]::new);
		return Set.copyOf(this.jdbc.sql("select username from account where realm = :realm and username = any(:names)")
			.param("realm", realm)
			.param("names", normalized)
			.query(String.class)
			.list());
	}

	@EventListener
	@Transactional
	public void onRealmProvisioned(RealmProvisionedEvent event) {
		String realm = event.definition().name();
		for (UserDefinition user : event.definition().users()) {
			String username = normalizeUsername(user.username());
			if (this.accounts.findByUsername(realm, username).isPresent()) {
				continue;
			}
			String displayName = (user.name() != null) ? user.name() : joinNames(user.familyName(), user.givenName());
			Identity account = new Identity(UUID.randomUUID(), realm, username, displayName, user.givenName(),
					user.familyName(), user.email(), user.emailVerified(), Set.copyOf(user.roles()), user.enabled(),
					null);
			String hash = (user.password() != null) ? this.passwords.hash(user.password()) : null;
			this.accounts.insert(account, null, hash, this.clock.instant());
			logger.info("Created account '{}' in realm '{}'", username, realm);
		}
	}

	/**
	 * Usernames compare without regard to case or Unicode width: "Tanaka", "tanaka" and
	 * "ｔａｎａｋａ" are one account.
	 */
	public static String normalizeUsername(String username) {
		return Normalizer.normalize(username.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
	}

	/**
	 * PostgreSQL text cannot hold U+0000: a name typed with one is no account's, and is
	 * recorded with U+FFFD in its place.
	 */
	private static String storable(String typed) {
		return typed.replace('\0', '\uFFFD');
	}

	/** A display name: family name first, as Japanese names are written; the one given when only one is. */
	public static String joinNames(String familyName, String givenName) {
		if (familyName == null) {
			return givenName;
		}
		return (givenName == null) ? familyName : familyName + " " + givenName;
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
		Optional<StoredAccount> found = parseId(subject).flatMap((id) -> this.accounts.findById(realm, id));
		if (found.isEmpty()) {
			return Optional.empty();
		}
		StoredAccount account = found.get();
		String temporary = TemporaryPasswords.generate();
		this.accounts.setPassword(account.id(), this.passwords.hash(temporary), true, this.clock.instant());
		this.audit.record(AuditEvent.of(realm, AuditEventType.PASSWORD_RESET)
			.subject(subject)
			.username(account.username())
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
		Optional<StoredAccount> found = parseId(subject).flatMap((id) -> this.accounts.findById(realm.name(), id));
		if (found.isEmpty() || !this.passwords.matches(current, found.get().passwordHash())) {
			this.audit.record(AuditEvent.of(realm.name(), AuditEventType.PASSWORD_CHANGED)
				.failure()
				.subject(subject)
				.username(found.map(StoredAccount::username).orElse(null))
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
		StoredAccount account = parseId(subject).flatMap((id) -> this.accounts.findById(realm.name(), id))
			.orElseThrow(() -> new IllegalArgumentException("No account " + subject + " in realm " + realm.name()));
		return replace(realm, account, chosen, how.auditDetail(), ipAddress);
	}

	/**
	 * The accounts of a realm that a password-reset link may be sent for: enabled, with
	 * this address verified. Several accounts may share one address.
	 */
	public List<Identity> findByVerifiedEmail(String realm, String email) {
		return this.accounts.findByEmail(realm, email.strip(), true).stream().map(StoredAccount::identity).toList();
	}

	/** Why a password is replaced without the current one, as the audit trail records it. */
	public enum PasswordReplacement {

		/** The temporary password an administrator set, replaced at login. */
		TEMPORARY_PASSWORD("temporary password replaced"),
		/** A link sent to the account's e-mail address. */
		RESET_LINK("reset link"),
		/** The one-time activation code of an account that came in a directory bundle. */
		ACTIVATION("activation code");

		private final String auditDetail;

		PasswordReplacement(String auditDetail) {
			this.auditDetail = auditDetail;
		}

		String auditDetail() {
			return this.auditDetail;
		}

	}

	private Optional<PasswordRejection> replace(Realm realm, StoredAccount account, String chosen, String how,
			String ipAddress) {
		Optional<PasswordRejection> rejection = this.passwordRules.check(realm.passwordPolicy(), chosen);
		if (rejection.isEmpty() && this.passwords.matches(chosen, account.passwordHash())) {
			rejection = Optional.of(PasswordRejection.NOT_NEW);
		}
		if (rejection.isPresent()) {
			return rejection;
		}
		this.accounts.setPassword(account.id(), this.passwords.hash(chosen), false, this.clock.instant());
		this.audit.record(AuditEvent.of(realm.name(), AuditEventType.PASSWORD_CHANGED)
			.subject(account.id().toString())
			.username(account.username())
			.ipAddress(ipAddress)
			.detail("how", how)
			.build());
		return Optional.empty();
	}

	/** An account id as a path or a token names it; empty when it is not one. */
	public static Optional<UUID> parseId(String subject) {
		try {
			return Optional.of(UUID.fromString(subject));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}


	/** Why the realm's policy would refuse this password, checked before anything is stored. */
	public Optional<PasswordRejection> checkChosenPassword(Realm realm, String chosen) {
		return this.passwordRules.check(realm.passwordPolicy(), chosen);
	}

	/**
	 * Creates the account of a person who signs up: the address is the username, unverified.
	 * When the address (or the username it makes) already has an account, nothing is
	 * created and that account is answered, for its owner to be told. The password is
	 * hashed either way, so both take the same time.
	 * @param chosen a password the realm's policy accepts ({@link #checkChosenPassword})
	 */
	public Registration register(Realm realm, String email, Person person, String chosen, String ipAddress) {
		String hash = this.passwords.hash(chosen);
		String username = normalizeUsername(email);
		return this.transactions.execute((status) -> {
			// two sign-ups with one address at once: the second waits and finds the first
			this.jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
				.param("key", "registration/" + realm.name() + "/" + username)
				.query((rs, row) -> row)
				.single();
			Optional<StoredAccount> existing = this.accounts.findByEmail(realm.name(), email.strip(), false)
				.stream()
				.findFirst()
				.or(() -> this.accounts.findByUsername(realm.name(), username));
			if (existing.isPresent()) {
				return new Registration(existing.get().identity(), false);
			}
			Identity account = new Identity(UUID.randomUUID(), realm.name(), username, person.displayName(),
					person.givenName(), person.familyName(), email.strip(), false, Set.of(), true,
					person.phoneNumber());
			this.accounts.insert(account, person, hash, this.clock.instant());
			this.audit.record(AuditEvent.of(realm.name(), AuditEventType.ACCOUNT_CREATED)
				.subject(account.id().toString())
				.username(account.username())
				.ipAddress(ipAddress)
				.detail(REASON, "self-registration")
				.build());
			return new Registration(account, true);
		});
	}

	/**
	 * What a sign-up came to.
	 * @param account the new account, or the one that already had the address
	 * @param created whether the account is new
	 */
	public record Registration(Identity account, boolean created) {
	}

	/**
	 * Marks the account's address as proven (its owner opened a link sent to it) and keeps
	 * that as evidence, in the caller's transaction.
	 */
	@Transactional
	public void emailVerified(String realm, UUID id, String ipAddress) {
		Identity identity = find(realm, id.toString())
			.orElseThrow(() -> new IllegalArgumentException("No account " + id + " in realm " + realm));
		this.jdbc.sql("update account set email_verified = true, updated_at = :now, version = version + 1 where id = :id")
			.param("now", Timestamp.from(this.clock.instant()))
			.param("id", id)
			.update();
		this.cache.changed(id);
		this.audit.record(AuditEvent.of(realm, AuditEventType.EMAIL_VERIFIED)
			.subject(identity.subject())
			.username(identity.username())
			.ipAddress(ipAddress)
			.build());
		recordEvidence(realm, identity, new Evidence("email", "link", null, this.clock.instant(), 1), ipAddress);
	}

	/**
	 * Keeps evidence of how the person's identity was proven; the account's IAL rises to
	 * the evidence's level if that is higher. Audited in the caller's transaction.
	 */
	@Transactional
	public void recordEvidence(String realm, String subject, Evidence evidence, String ipAddress) {
		Identity identity = find(realm, subject)
			.orElseThrow(() -> new IllegalArgumentException("No account " + subject + " in realm " + realm));
		recordEvidence(realm, identity, evidence, ipAddress);
	}

	private void recordEvidence(String realm, Identity identity, Evidence evidence, String ipAddress) {
		this.jdbc.sql("""
				insert into identity_evidence (id, account_id, evidence, method, provider, verified_at, ial)
				values (:id, :account, :evidence, :method, :provider, :verified, :ial)
				""")
			.param("id", UUID.randomUUID())
			.param("account", identity.id())
			.param("evidence", evidence.evidence())
			.param("method", evidence.method())
			.param("provider", evidence.provider())
			.param("verified", Timestamp.from(evidence.verifiedAt()))
			.param("ial", evidence.ial())
			.update();
		this.jdbc.sql("update account set ial = greatest(ial, :ial) where id = :id")
			.param("ial", evidence.ial())
			.param("id", identity.id())
			.update();
		this.audit.record(AuditEvent.of(realm, AuditEventType.IDENTITY_EVIDENCE_RECORDED)
			.subject(identity.subject())
			.username(identity.username())
			.ipAddress(ipAddress)
			.detail("evidence", evidence.evidence())
			.detail("method", evidence.method())
			.detail("provider", evidence.provider())
			.detail("ial", evidence.ial())
			.build());
	}

	/** The account's identity assurance level and its evidence, oldest first. */
	public Optional<Assurance> assurance(String realm, String subject) {
		return parseId(subject).flatMap((id) -> this.jdbc
			.sql("select ial from account where id = :id and realm = :realm")
			.param("id", id)
			.param("realm", realm)
			.query(Integer.class)
			.optional()
			.map((ial) -> new Assurance(ial, this.jdbc.sql("""
					select evidence, method, provider, verified_at, ial from identity_evidence
					where account_id = :id order by verified_at, created_at
					""").param("id", id).query((rs, row) -> new Evidence(rs.getString("evidence"), rs.getString("method"),
					rs.getString("provider"), rs.getTimestamp("verified_at").toInstant(), rs.getInt("ial"))).list())));
	}

	/** The account's person: names as given, kana, romanised name, phone. */
	public Optional<Person> person(String realm, String subject) {
		return ownProfile(realm, subject).map(OwnProfile::person);
	}

	/**
	 * What the account console shows its owner of their account, with the version it was
	 * read at (a change is made against that version).
	 * @param ial the identity assurance level (1-3)
	 */
	public record OwnProfile(Person person, String email, boolean emailVerified, int ial, long version) {
	}

	/** The account's person, address and assurance, as its owner sees them. */
	public Optional<OwnProfile> ownProfile(String realm, String subject) {
		return parseId(subject).flatMap((id) -> this.jdbc.sql("""
				select family_name, given_name, family_name_kana, given_name_kana, romanised_name, phone_number,
				  email, email_verified, ial, version
				from account where id = :id and realm = :realm
				""").param("id", id).param("realm", realm).query((rs, row) -> new OwnProfile(
				new Person(rs.getString("family_name"), rs.getString("given_name"), rs.getString("family_name_kana"),
						rs.getString("given_name_kana"), rs.getString("romanised_name"), rs.getString("phone_number")),
				rs.getString("email"), rs.getBoolean("email_verified"), rs.getInt("ial"), rs.getLong("version")))
			.optional());
	}

	/**
	 * The owner changes their person (the caller has checked it and kept to what the realm
	 * lets them edit), against the version they read: a change made meanwhile (an
	 * administrator's, SCIM's) is not overwritten. Audited as {@code ACCOUNT_UPDATED} with the
	 * fields that changed, in the same transaction.
	 * @param changedFields the form's names of the fields that differ, for the audit trail
	 * @throws AccountVersionConflictException when the account is no longer at that version
	 */
	@Transactional
	public void updateOwnPerson(String realm, String subject, Person person, long expectedVersion,
			List<String> changedFields, String ipAddress) {
		UUID id = parseId(subject)
			.orElseThrow(() -> new IllegalArgumentException("No account " + subject + " in realm " + realm));
		int changed = this.jdbc.sql("""
				update account set family_name = :family, given_name = :given, display_name = :display,
				  family_name_kana = :familyKana, given_name_kana = :givenKana, romanised_name = :romanised,
				  phone_number = :phone, updated_at = :now, version = version + 1
				where id = :id and realm = :realm and version = :version
				""")
			.param("family", person.familyName())
			.param("given", person.givenName())
			.param("display", person.displayName())
			.param("familyKana", person.familyNameKana())
			.param("givenKana", person.givenNameKana())
			.param("romanised", person.romanisedName())
			.param("phone", person.phoneNumber())
			.param("now", Timestamp.from(this.clock.instant()))
			.param("id", id)
			.param("realm", realm)
			.param("version", expectedVersion)
			.update();
		this.cache.changed(id);
		if (changed == 0) {
			long current = ownProfile(realm, subject).map(OwnProfile::version)
				.orElseThrow(() -> new IllegalArgumentException("No account " + subject + " in realm " + realm));
			throw new AccountVersionConflictException(realm, subject, current);
		}
		Identity identity = find(realm, subject).orElseThrow();
		this.audit.record(AuditEvent.of(realm, AuditEventType.ACCOUNT_UPDATED)
			.subject(subject)
			.username(identity.username())
			.ipAddress(ipAddress)
			.detail("via", "self-service")
			.detail("fields", String.join(" ", changedFields))
			.build());
	}

	/**
	 * Whether the logged-in owner typed the account's current password, to confirm a
	 * change that could hand the account to someone else (its e-mail address). A wrong one
	 * is audited as a failed {@code ACCOUNT_UPDATED} naming the change.
	 */
	public boolean confirmOwnPassword(String realm, String subject, CharSequence password, String change,
			String ipAddress) {
		Optional<StoredAccount> found = parseId(subject).flatMap((id) -> this.accounts.findById(realm, id));
		if (found.isPresent() && found.get().passwordHash() != null
				&& this.passwords.matches(password, found.get().passwordHash())) {
			return true;
		}
		this.audit.record(AuditEvent.of(realm, AuditEventType.ACCOUNT_UPDATED)
			.failure()
			.subject(subject)
			.username(found.map(StoredAccount::username).orElse(null))
			.ipAddress(ipAddress)
			.detail("via", change)
			.detail(REASON, "current password wrong")
			.build());
		return false;
	}

	/** Whether another account of the realm has this address, or it as username. */
	public boolean addressInUse(String realm, UUID except, String email) {
		return inUse(realm, except, email, normalizeUsername(email));
	}

	private boolean inUse(String realm, UUID except, String email, String username) {
		return this.jdbc.sql("""
				select exists (select 1 from account where realm = :realm and id <> :id
				  and (lower(email) = lower(:email) or username = :username))
				""")
			.param("realm", realm)
			.param("id", except)
			.param("email", email)
			.param("username", username)
			.query(Boolean.class)
			.single();
	}

	/**
	 * Gives the account the address its owner just proved (an e-mail change link was
	 * opened), verified, and keeps that as evidence. Where the username is the old address
	 * (people who signed up with it), the username follows, so they log in with the address
	 * they now use. Audited in the caller's transaction.
	 * @return false, changing nothing, when another account of the realm has the address
	 * or the username it would make
	 */
	@Transactional
	public boolean changeEmail(String realm, UUID id, String newEmail, String ipAddress) {
		Map<String, Object> current = this.jdbc
			.sql("select username, email from account where id = :id and realm = :realm for update")
			.param("id", id)
			.param("realm", realm)
			.query()
			.singleRow();
		String username = (String) current.get("username");
		String oldEmail = (String) current.get("email");
		String newUsername = (oldEmail != null && username.equals(normalizeUsername(oldEmail)))
				? normalizeUsername(newEmail) : username;
		// the lock of sign-up: a sign-up with this address now finds this account, or this change finds it
		this.jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
			.param("key", "registration/" + realm + "/" + normalizeUsername(newEmail))
			.query((rs, row) -> row)
			.single();
		if (inUse(realm, id, newEmail, newUsername)) {
			return false;
		}
		this.jdbc.sql("""
				update account set email = :email, username = :username, updated_at = :now, version = version + 1
				where id = :id
				""")
			.param("email", newEmail)
			.param("username", newUsername)
			.param("now", Timestamp.from(this.clock.instant()))
			.param("id", id)
			.update();
		this.cache.changed(id);
		this.audit.record(AuditEvent.of(realm, AuditEventType.ACCOUNT_UPDATED)
			.subject(id.toString())
			.username(newUsername)
			.ipAddress(ipAddress)
			.detail("via", "email-change")
			.detail("fields", newUsername.equals(username) ? "email" : "email username")
			.build());
		emailVerified(realm, id, ipAddress);
		return true;
	}

	/**
	 * How an identity was proven, after NIST SP 800-63A and OIDC Identity Assurance.
	 * @param evidence what was checked, e.g. {@code email}, {@code document}
	 * @param method how, e.g. {@code link}, {@code my_number_card}
	 * @param provider who checked it, or null when this server did
	 * @param ial the identity assurance level (1-3) it supports
	 */
	public record Evidence(String evidence, String method, String provider, Instant verifiedAt, int ial) {

		public Evidence {
			if (ial < 1 || ial > 3) {
				throw new IllegalArgumentException("IAL " + ial + " is not 1, 2 or 3");
			}
		}

	}

	/** An account's identity assurance level and the evidence behind it. */
	public record Assurance(int ial, List<Evidence> evidence) {
	}

	/**
	 * Deletes an account at its owner's request, in one transaction: its grants and consents
	 * ({@link AccountDisabledEvent}), passkeys, second factors, links, directory data and
	 * the account row go; the audit events about it are pseudonymised
	 * ({@link AuditTrail#pseudonymise}) and one {@code ACCOUNT_DELETED} event under the
	 * same pseudonym says when. Its username and address are free again afterwards.
	 */
	@Transactional
	public void delete(String realm, String subject, String ipAddress) {
		Identity identity = find(realm, subject)
			.orElseThrow(() -> new IllegalArgumentException("No account " + subject + " in realm " + realm));
		// grants and consents end as they do for a disabled account
		this.events.publishEvent(new AccountDisabledEvent(realm, subject));
		this.passkeys.removeAll(realm, identity.id());
		String pseudonym = "pseudonym:" + this.secrets.pseudonym("audit-subject/" + realm, subject);
		int pseudonymised = this.audit.pseudonymise(realm, subject, identity.username(), pseudonym);
		this.jdbc.sql("delete from account where id = :id and realm = :realm")
			.param("id", identity.id())
			.param("realm", realm)
			.update();
		this.cache.changed(identity.id());
		this.audit.record(AuditEvent.of(realm, AuditEventType.ACCOUNT_DELETED)
			.subject(pseudonym)
			.withoutRequestDetails()
			.detail("pseudonymised_events", pseudonymised)
			.build());
	}
}
