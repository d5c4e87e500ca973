package jp.hitotsu.admin;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What administrators change through the admin API. Each change commits together with
 * its {@code ADMIN_CHANGE} audit event, which names the administrator.
 */
@Service
class AdminChanges {

	private final AccountService accounts;

	private final AuditTrail audit;

	AdminChanges(AccountService accounts, AuditTrail audit) {
		this.accounts = accounts;
		this.audit = audit;
	}

	@Transactional
	void clearLock(Administrator administrator, String realm, String userId, String ipAddress) {
		Identity user = this.accounts.find(realm, userId).orElseThrow(() -> new UnknownUserException(realm, userId));
		this.accounts.clearLock(realm, userId, administrator.subject(), ipAddress);
		recordChange(administrator, user, "clear-lock", ipAddress);
	}

	/** @return the temporary password, shown to the administrator this once */
	@Transactional
	String setTemporaryPassword(Administrator administrator, String realm, String userId, String ipAddress) {
		Identity user = this.accounts.find(realm, userId).orElseThrow(() -> new UnknownUserException(realm, userId));
		String temporary = this.accounts.setTemporaryPassword(realm, userId)
			.orElseThrow(() -> new UnknownUserException(realm, userId));
		recordChange(administrator, user, "temporary-password", ipAddress);
		return temporary;
	}

	private void recordChange(Administrator administrator, Identity target, String action, String ipAddress) {
		this.audit.record(AuditEvent.of(target.realm(), AuditEventType.ADMIN_CHANGE)
			.subject(target.subject())
			.username(target.username())
			.client(administrator.clientId())
			.ipAddress(ipAddress)
			.detail("action", action)
			.detail("actor", administrator.subject())
			.detail("actorRealm", administrator.realm())
			.build());
	}

}
