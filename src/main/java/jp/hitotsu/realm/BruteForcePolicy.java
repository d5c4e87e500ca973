package jp.hitotsu.realm;

import java.time.Duration;

/**
 * How a realm slows down password guessing. Per account: after
 * {@code delayAfterFailures} failed attempts in a row each further attempt must wait,
 * {@code baseDelay} and then twice as long after every new failure; after
 * {@code lockAfterFailures} the account is locked for {@code lockDuration}. Per client
 * address: at most {@code attemptsPerIpPerMinute} unsuccessful attempts a minute across
 * all accounts of the realm.
 *
 * @param delayAfterFailures failures in a row before attempts are delayed (default 5)
 * @param baseDelay the first delay; it doubles with each further failure (default 1s)
 * @param lockAfterFailures failures in a row that lock the account (default 10); at least
 * {@code delayAfterFailures}
 * @param lockDuration how long a lock lasts (default 15m); a success or an administrator
 * ends it, and one more failure after it starts the next
 * @param attemptsPerIpPerMinute unsuccessful login attempts one client address may make
 * in a minute across the realm (default 30); {@code 0} turns the limit off (for a realm
 * whose users all come through one proxy that hides their addresses)
 * @param forgetFailuresAfter failures older than this are forgotten (default 12h, as
 * Keycloak's "failure reset time")
 */
public record BruteForcePolicy(Integer delayAfterFailures, Duration baseDelay, Integer lockAfterFailures,
		Duration lockDuration, Integer attemptsPerIpPerMinute, Duration forgetFailuresAfter) {

	/** No delay grows past this, whatever the settings: a lock is the tool for longer pauses. */
	private static final Duration LONGEST_DELAY = Duration.ofHours(1);

	public static final BruteForcePolicy DEFAULTS = new BruteForcePolicy(null, null, null, null, null, null);

	public BruteForcePolicy {
		delayAfterFailures = (delayAfterFailures != null) ? delayAfterFailures : 5;
		Definitions.require(delayAfterFailures >= 1 && delayAfterFailures <= 1000,
				"brute-force.delay-after-failures must be between 1 and 1000, got " + delayAfterFailures);
		baseDelay = TokenPolicy.positive(baseDelay, Duration.ofSeconds(1), "brute-force.base-delay");
		Definitions.require(baseDelay.compareTo(LONGEST_DELAY) <= 0,
				"brute-force.base-delay must be at most " + LONGEST_DELAY + ", got " + baseDelay);
		lockAfterFailures = (lockAfterFailures != null) ? lockAfterFailures : 10;
		Definitions.require(lockAfterFailures >= delayAfterFailures && lockAfterFailures <= 1000,
				"brute-force.lock-after-failures must be between brute-force.delay-after-failures ("
						+ delayAfterFailures + ") and 1000, got " + lockAfterFailures);
		lockDuration = TokenPolicy.positive(lockDuration, Duration.ofMinutes(15), "brute-force.lock-duration");
		Definitions.require(lockDuration.compareTo(Duration.ofDays(30)) <= 0,
				"brute-force.lock-duration must be at most 30 days, got " + lockDuration);
		attemptsPerIpPerMinute = (attemptsPerIpPerMinute != null) ? attemptsPerIpPerMinute : 30;
		Definitions.require(attemptsPerIpPerMinute >= 0 && attemptsPerIpPerMinute <= 1_000_000,
				"brute-force.attempts-per-ip-per-minute must be between 0 (no limit) and 1000000, got "
						+ attemptsPerIpPerMinute);
		forgetFailuresAfter = TokenPolicy.positive(forgetFailuresAfter, Duration.ofHours(12),
				"brute-force.forget-failures-after");
	}

	/**
	 * How long the attempt after the given number of failures in a row must wait: nothing
	 * before {@code delayAfterFailures}, then {@code baseDelay} doubling with each failure,
	 * never more than an hour.
	 */
	public Duration delayAfter(int failures) {
		if (failures < this.delayAfterFailures) {
			return Duration.ZERO;
		}
		int doublings = Math.min(failures - this.delayAfterFailures, 30);
		Duration delay = this.baseDelay.multipliedBy(1L << doublings);
		return (delay.compareTo(LONGEST_DELAY) > 0) ? LONGEST_DELAY : delay;
	}

	public boolean locksAt(int failures) {
		return failures >= this.lockAfterFailures;
	}

	public boolean limitsAddresses() {
		return this.attemptsPerIpPerMinute > 0;
	}

}
