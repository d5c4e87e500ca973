package jp.hitotsu.account;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts created, replaced and deleted by a system of record (SCIM). Each change raises
 * the account's version (the SCIM ETag), may be made conditional on the version the caller
 * read, and is audited in the same transaction with who made it.
 */
@Service
public class AccountProvisioning {

	private static final int NAME_LENGTH = 255;

	private static final int EMAIL_LENGTH = 320;

	private final JdbcClient jdbc;

	private final AccountSearch search;

	private final AuditTrail audit;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final Passkeys passkeys;

	private final AccountCache cache;

	AccountProvisioning(JdbcClient jdbc, AccountSearch search, AuditTrail audit, Clock clock,
			ApplicationEventPublisher events, Passkeys passkeys, AccountCache cache) {
		this.cache = cache;
		this.passkeys = passkeys;
		this.jdbc = jdbc;
		this.search = search;
		this.audit = audit;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Who asks for a change, for the audit trail.
	 * @param actor the subject of the caller (an administrator or provisioning client)
	 * @param via the interface, e.g. {@code scim}
	 */
	public record Change(String actor, String client, String ipAddress, String via) {
	}

	@Transactional
	public AccountRecord create(String realm, AccountFields fields, Change change) {
		String username = check(fields);
		UUID id = UUID.randomUUID();
		Timestamp now = Timestamp.from(this.clock.instant());
		try {
			this.jdbc.sql("""
					insert into account (id, realm, username, external_id, email, email_verified, given_name,
					  family_name, display_name, enabled, created_at, updated_at, version)
					values (:id, :realm, :username, :externalId, :email, :verified, :given, :family, :display,
					  :enabled, :now, :now, 1)
					""")
				.param("id", id)
				.param("realm", realm)
				.param("username", username)
				.param("externalId", fields.externalId())
				.param("email", blankToNull(fields.email()))
				.param("verified", blankToNull(fields.email()) != null)
				.param("given", fields.givenName())
				.param("family", fields.familyName())
				.param("display", fields.displayName())
				.param("enabled", fields.enabled())
				.param("now", now)
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw usernameTaken(fields.username());
		}
		record(realm, AuditEventType.ACCOUNT_CREATED, id, username, change);
		return this.search.find(realm, id).orElseThrow();
	}

	/**
	 * Replaces every provisioned field of an account. Disabling it ends what it holds
	 * ({@link AccountDisabledEvent}).
	 * @param expectedVersion the version the caller read, or {@code null} for any
	 * @return the account as it is now, empty when the realm has no such account
	 */
	@Transactional
	public Optional<AccountRecord> replace(String realm, UUID id, AccountFields fields, Long expectedVersion,
			Change change) {
		Optional<AccountRecord> current = lockedAt(realm, id, expectedVersion);
		if (current.isEmpty()) {
			return current;
		}
		String username = check(fields);
		try {
			this.jdbc.sql("""
					update account set username = :username, external_id = :externalId, email = :email,
					  email_verified = case when email is not distinct from :email then email_verified
					    else cast(:email as varchar) is not null end,
					  given_name = :given, family_name = :family, display_name = :display, enabled = :enabled,
					  updated_at = :now, version = version + 1
					where id = :id and realm = :realm
					""")
				.param("username", username)
				.param("externalId", fields.externalId())
				.param("email", blankToNull(fields.email()))
				.param("given", fields.givenName())
				.param("family", fields.familyName())
				.param("display", fields.displayName())
				.param("enabled", fields.enabled())
				.param("now", Timestamp.from(this.clock.instant()))
				.param("id", id)
				.param("realm", realm)
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw usernameTaken(fields.username());
		}
		this.cache.changed(id);
		record(realm, AuditEventType.ACCOUNT_UPDATED, id, username, change);
		if (current.get().enabled() && !fields.enabled()) {
			this.audit.record(event(realm, AuditEventType.ACCOUNT_DISABLED, id, username, change).build());
			this.events.publishEvent(new AccountDisabledEvent(realm, id.toString()));
		}
		return this.search.find(realm, id);
	}

	/**
	 * Deletes an account with everything it holds (credentials, factors and passkeys, staff
	 * data, posts, grants). Answers whether it existed.
	 */
	@Transactional
	public boolean delete(String realm, UUID id, Long expectedVersion, Change change) {
		Optional<AccountRecord> current = lockedAt(realm, id, expectedVersion);
		if (current.isEmpty()) {
			return false;
		}
		// its grants and consents go first, as for a disabled account
		this.events.publishEvent(new AccountDisabledEvent(realm, id.toString()));
		// kept by Spring Security's WebAuthn tables, which no foreign key ties to the account
		this.passkeys.removeAll(realm, id);
		this.jdbc.sql("delete from account where id = :id and realm = :realm")
			.param("id", id)
			.param("realm", realm)
			.update();
		this.cache.changed(id);
		record(realm, AuditEventType.ACCOUNT_DELETED, id, current.get().username(), change);
		return true;
	}

	/** The account, locked for this transaction, after checking the caller's version. */
	private Optional<AccountRecord> lockedAt(String realm, UUID id, Long expectedVersion) {
		Optional<Long> version = this.jdbc.sql("select version from account where id = :id and realm = :realm for update")
			.param("id", id)
			.param("realm", realm)
			.query(Long.class)
			.optional();
		if (version.isEmpty()) {
			return Optional.empty();
		}
		if (expectedVersion != null && !expectedVersion.equals(version.get())) {
			throw new AccountVersionConflictException(realm, id.toString(), version.get());
		}
		return this.search.find(realm, id);
	}

	private static String check(AccountFields fields) {
		List<AccountFieldException.Problem> problems = new ArrayList<>();
		String username = (fields.username() != null) ? AccountService.normalizeUsername(fields.username()) : "";
		if (username.isEmpty()) {
			problems.add(problem("userName", "required"));
		}
		else if (username.length() > NAME_LENGTH || username.indexOf('\0') >= 0) {
			problems.add(problem("userName", "length", 1, NAME_LENGTH));
		}
		String email = blankToNull(fields.email());
		if (email != null && (email.length() > EMAIL_LENGTH || email.indexOf('@') < 1)) {
			problems.add(problem("emails", "email", email));
		}
		length(problems, "externalId", fields.externalId());
		length(problems, "name.givenName", fields.givenName());
		length(problems, "name.familyName", fields.familyName());
		length(problems, "displayName", fields.displayName());
		if (!problems.isEmpty()) {
			throw new AccountFieldException(problems);
		}
		return username;
	}

	private static void length(List<AccountFieldException.Problem> problems, String field, String value) {
		if (value != null && (value.length() > NAME_LENGTH || value.indexOf('\0') >= 0)) {
			problems.add(problem(field, "length", 1, NAME_LENGTH));
		}
	}

	private static AccountFieldException usernameTaken(String username) {
		return new AccountFieldException(List.of(problem("userName", "username-taken", username)));
	}

	private static AccountFieldException.Problem problem(String field, String code, Object... arguments) {
		return new AccountFieldException.Problem(field, code, List.of(arguments));
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private void record(String realm, AuditEventType type, UUID id, String username, Change change) {
		this.audit.record(event(realm, type, id, username, change).build());
	}

	private static AuditEvent.Builder event(String realm, AuditEventType type, UUID id, String username,
			Change change) {
		return AuditEvent.of(realm, type)
			.subject(id.toString())
			.username(username)
			.client(change.client())
			.ipAddress(change.ipAddress())
			.detail("actor", change.actor())
			.detail("via", change.via());
	}

}
