package jp.hitotsu.account;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import jp.hitotsu.realm.BruteForcePolicy;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The counters of brute-force defence, in PostgreSQL so that every instance on the
 * database sees the same ones. Each counter moves in one SQL statement (an UPSERT that
 * adds one), never read, changed in Java and written back: two instances counting the
 * same account at the same moment both count.
 *
 * <p>
 * An account's attempt is counted as a failure <em>before</em> its password is checked
 * and forgiven after a success. Counting after the check would let a burst of parallel
 * guesses all pass the gate while each one's hash is still running.
 */
@Component
class LoginThrottle {

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private final JdbcClient jdbc;

	LoginThrottle(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Counts one login attempt from a client address and answers whether it stays within
	 * the realm's limit. The limit is a sliding minute, estimated from the count of this
	 * minute and the share of the previous minute that still lies within the last 60 s.
	 */
	AddressAttempt countAddressAttempt(String realm, String ipAddress, BruteForcePolicy policy, Instant now) {
		if (!policy.limitsAddresses() || ipAddress == null) {
			return AddressAttempt.UNLIMITED;
		}
		Instant window = now.truncatedTo(ChronoUnit.MINUTES);
		double previousShare = 1.0 - (double) Duration.between(window, now).toMillis() / WINDOW.toMillis();
		double attempts = this.jdbc.sql("""
				with counted as (
				  insert into login_address_attempt as a (realm, ip_address, window_start, attempts)
				  values (:realm, :ip, :window, 1)
				  on conflict (realm, ip_address, window_start) do update set attempts = a.attempts + 1
				  returning attempts)
				select counted.attempts + :share * coalesce((select p.attempts from login_address_attempt p
				    where p.realm = :realm and p.ip_address = :ip and p.window_start = :previous), 0)
				from counted
				""")
			.param("realm", realm)
			.param("ip", ipAddress)
			.param("window", Timestamp.from(window))
			.param("previous", Timestamp.from(window.minus(WINDOW)))
			.param("share", previousShare)
			.query(Double.class)
			.single();
		return new AddressAttempt(realm, ipAddress, window, attempts <= policy.attemptsPerIpPerMinute());
	}

	/** A successful login gives its attempt back: only unsuccessful ones use up the limit. */
	void giveBack(AddressAttempt attempt) {
		if (attempt == AddressAttempt.UNLIMITED) {
			return;
		}
		this.jdbc.sql("""
				update login_address_attempt set attempts = attempts - 1
				where realm = :realm and ip_address = :ip and window_start = :window and attempts > 0
				""")
			.param("realm", attempt.realm())
			.param("ip", attempt.ipAddress())
			.param("window", Timestamp.from(attempt.window()))
			.update();
	}

	/**
	 * Admits a password attempt on an account, counting it as a failure at once, or
	 * refuses it because the account is locked or must still wait. Call it inside a
	 * transaction: the UPSERT's row lock holds back every other attempt on the account
	 * until the delay and lock that follow from the new count are written too.
	 */
	AccountAttempt admitAccountAttempt(UUID account, BruteForcePolicy policy, Instant now) {
		Optional<Counted> counted = this.jdbc.sql("""
				insert into login_failure as f (account_id, failures, last_failure_at, expires_at)
				values (:account, 1, :now, :now)
				on conflict (account_id) do update
				  set failures = case when f.last_failure_at <= :forgetBefore then 1 else f.failures + 1 end,
				    last_failure_at = :now
				  where (f.locked_until is null or f.locked_until <= :now)
				    and (f.next_allowed_at is null or f.next_allowed_at <= :now)
				returning failures, locked_until
				""")
			.param("account", account)
			.param("now", Timestamp.from(now))
			.param("forgetBefore", Timestamp.from(now.minus(policy.forgetFailuresAfter())))
			.query((rs, row) -> new Counted(rs.getInt("failures"), rs.getTimestamp("locked_until") != null))
			.optional();
		if (counted.isEmpty()) {
			return AccountAttempt.refused(status(account, policy, now));
		}
		int failures = counted.get().failures();
		Duration delay = policy.delayAfter(failures);
		Instant nextAllowed = delay.isZero() ? null : now.plus(delay);
		Instant lockedUntil = policy.locksAt(failures) ? now.plus(policy.lockDuration()) : null;
		Instant expires = latest(now.plus(policy.forgetFailuresAfter()), nextAllowed, lockedUntil);
		this.jdbc.sql("""
				update login_failure set next_allowed_at = :nextAllowed, locked_until = :lockedUntil,
				  expires_at = :expires
				where account_id = :account
				""")
			.param("account", account)
			.param("nextAllowed", timestamp(nextAllowed))
			.param("lockedUntil", timestamp(lockedUntil))
			.param("expires", Timestamp.from(expires))
			.update();
		return AccountAttempt.admitted(failures, lockedUntil, counted.get().wasLocked());
	}

	/** Forgets an account's failures (a success, or an administrator); answers what was there. */
	Optional<LockStatus> reset(UUID account, BruteForcePolicy policy, Instant now) {
		return this.jdbc.sql("""
				delete from login_failure where account_id = :account
				returning failures, last_failure_at, next_allowed_at, locked_until
				""").param("account", account).query((rs, row) -> toStatus(rs, policy, now)).optional();
	}

	/** The failures, delay and lock an account has now. */
	LockStatus status(UUID account, BruteForcePolicy policy, Instant now) {
		return this.jdbc.sql("""
				select failures, last_failure_at, next_allowed_at, locked_until from login_failure
				where account_id = :account
				""")
			.param("account", account)
			.query((rs, row) -> toStatus(rs, policy, now))
			.optional()
			.orElse(LockStatus.CLEAR);
	}

	/** Deletes rows that no longer mean anything; returns how many. */
	int purge(Instant now, int batchSize) {
		int failures = this.jdbc.sql("""
				delete from login_failure where account_id in
				  (select account_id from login_failure where expires_at < :now limit :batch)
				""").param("now", Timestamp.from(now)).param("batch", batchSize).update();
		int addresses = this.jdbc.sql("""
				delete from login_address_attempt where (realm, ip_address, window_start) in
				  (select realm, ip_address, window_start from login_address_attempt
				   where window_start < :before limit :batch)
				""")
			.param("before", Timestamp.from(now.minus(WINDOW.multipliedBy(2))))
			.param("batch", batchSize)
			.update();
		return failures + addresses;
	}

	private static LockStatus toStatus(java.sql.ResultSet rs, BruteForcePolicy policy, Instant now)
			throws java.sql.SQLException {
		Instant lastFailure = rs.getTimestamp("last_failure_at").toInstant();
		boolean forgotten = !lastFailure.isAfter(now.minus(policy.forgetFailuresAfter()));
		Instant nextAllowed = future(rs.getTimestamp("next_allowed_at"), now);
		Instant lockedUntil = future(rs.getTimestamp("locked_until"), now);
		int failures = (forgotten && lockedUntil == null && nextAllowed == null) ? 0 : rs.getInt("failures");
		return new LockStatus(failures, nextAllowed, lockedUntil);
	}

	private static Instant future(Timestamp timestamp, Instant now) {
		return (timestamp != null && timestamp.toInstant().isAfter(now)) ? timestamp.toInstant() : null;
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static Instant latest(Instant first, Instant... others) {
		Instant latest = first;
		for (Instant other : others) {
			if (other != null && other.isAfter(latest)) {
				latest = other;
			}
		}
		return latest;
	}

	private record Counted(int failures, boolean wasLocked) {
	}

	/** One counted attempt from a client address, and whether it was within the limit. */
	record AddressAttempt(String realm, String ipAddress, Instant window, boolean allowed) {

		static final AddressAttempt UNLIMITED = new AddressAttempt(null, null, null, true);

	}

	/**
	 * An attempt on an account: refused (locked or delayed, with the status that says
	 * which), or admitted and already counted as failure number {@code failures}.
	 *
	 * @param lockedUntil the lock this attempt sets should its password be wrong
	 * @param earlierLockEnded an earlier lock had run out before this attempt
	 */
	record AccountAttempt(boolean admitted, LockStatus refusal, int failures, Instant lockedUntil,
			boolean earlierLockEnded) {

		static AccountAttempt refused(LockStatus status) {
			return new AccountAttempt(false, status, 0, null, false);
		}

		static AccountAttempt admitted(int failures, Instant lockedUntil, boolean earlierLockEnded) {
			return new AccountAttempt(true, null, failures, lockedUntil, earlierLockEnded);
		}

	}

}
