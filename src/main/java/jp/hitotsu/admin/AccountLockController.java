package jp.hitotsu.admin;

import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.LockStatus;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's brute-force state: see it, clear it (the help desk's answer to "I am
 * locked out"). {@code userId} is the account's id, the {@code sub} of its tokens.
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}/users/{userId}/lock")
class AccountLockController {

	private final AccountService accounts;

	private final AdminChanges changes;

	AccountLockController(AccountService accounts, AdminChanges changes) {
		this.accounts = accounts;
		this.changes = changes;
	}

	@GetMapping
	@Operation(summary = "See an account's failed logins, delay and lock")
	@AdminOperation(AdminPermission.VIEW_LOCK)
	LockView get(@PathVariable String realm, @PathVariable String userId) {
		return this.accounts.lockStatus(realm, userId)
			.map(LockView::of)
			.orElseThrow(() -> new UnknownUserException(realm, userId));
	}

	@DeleteMapping
	@Operation(summary = "Clear an account's failures, delay and lock")
	@AdminOperation(AdminPermission.CLEAR_LOCK)
	ResponseEntity<Void> clear(@PathVariable String realm, @PathVariable String userId,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.clearLock(administrator, realm, userId, request.getRemoteAddr());
		return ResponseEntity.noContent().build();
	}

	/**
	 * @param failures failed attempts in a row that still count
	 * @param delayedUntil no login attempt is admitted before this; absent when none waits
	 * @param lockedUntil the account is locked until then; absent when not locked
	 */
	record LockView(int failures, boolean locked, Instant delayedUntil, Instant lockedUntil) {

		static LockView of(LockStatus status) {
			return new LockView(status.failures(), status.locked(), status.delayedUntil(), status.lockedUntil());
		}

	}

}
