package jp.hitotsu.account;

import java.time.Instant;

/**
 * Where an account stands in brute-force defence.
 *
 * @param failures failed attempts in a row that still count
 * @param delayedUntil no attempt is admitted before this; {@code null} when none must wait
 * @param lockedUntil the account is locked until then; {@code null} when not locked
 */
public record LockStatus(int failures, Instant delayedUntil, Instant lockedUntil) {

	static final LockStatus CLEAR = new LockStatus(0, null, null);

	public boolean locked() {
		return this.lockedUntil != null;
	}

}
