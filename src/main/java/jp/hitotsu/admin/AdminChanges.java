package jp.hitotsu.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jp.hitotsu.account.AccountFields;
import jp.hitotsu.account.AccountProvisioning;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.Passkeys;
import jp.hitotsu.account.PersonRecords;
import jp.hitotsu.account.TotpAuthenticators;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.directory.DirectoryService;
import jp.hitotsu.directory.OrgUnits;
import jp.hitotsu.directory.TransferBatches;
import jp.hitotsu.keys.SigningKeyService;
import jp.hitotsu.oidc.ClientInput;
import jp.hitotsu.oidc.ClientRegistry;
import jp.hitotsu.session.RealmSessions;

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

	private final DirectoryService directory;

	private final TransferBatches transfers;

	private final ClientRegistry clients;

	private final SigningKeyService keys;

	private final OrgUnits units;

	private final PersonRecords people;

	private final RealmSessions sessions;

	private final TotpAuthenticators totp;

	private final Passkeys passkeys;

	private final AccountProvisioning provisioning;

	AdminChanges(AccountService accounts, AuditTrail audit, DirectoryService directory, TransferBatches transfers,
			ClientRegistry clients, SigningKeyService keys, OrgUnits units, PersonRecords people,
			RealmSessions sessions, TotpAuthenticators totp, Passkeys passkeys, AccountProvisioning provisioning) {
		this.provisioning = provisioning;
		this.totp = totp;
		this.passkeys = passkeys;
		this.people = people;
		this.sessions = sessions;
		this.keys = keys;
		this.accounts = accounts;
		this.audit = audit;
		this.directory = directory;
		this.transfers = transfers;
		this.clients = clients;
		this.units = units;
	}

	/** The account a path names, or a 404 naming the realm and user. */
	Identity user(String realm, String userId) {
		return this.accounts.find(realm, userId).orElseThrow(() -> new UnknownUserException(realm, userId));
	}

	@Transactional
	void clearLock(Administrator administrator, String realm, String userId, String ipAddress) {
		Identity user = user(realm, userId);
		this.accounts.clearLock(realm, userId, administrator.subject(), ipAddress);
		recordChange(administrator, user, "clear-lock", ipAddress);
	}

	/** @return the temporary password, shown to the administrator this once */
	@Transactional
	void endSession(Administrator administrator, String realm, String userId, String sid, String ipAddress) {
		Identity user = user(realm, userId);
		if (!this.sessions.end(realm, userId, sid, RealmSessions.ADMIN)) {
			throw new UnknownSessionException(realm, userId, sid);
		}
		recordChange(administrator, realm, user, "end-session", ipAddress, "sid", sid);
	}

	@Transactional
	void endSessions(Administrator administrator, String realm, String userId, String ipAddress) {
		Identity user = user(realm, userId);
		int ended = this.sessions.endAll(realm, userId, RealmSessions.ADMIN);
		recordChange(administrator, realm, user, "end-sessions", ipAddress, "sessions", String.valueOf(ended));
	}

	/** Creates an account, audited as {@code ACCOUNT_CREATED} naming the administrator; answers its id. */
	@Transactional
	UUID createUser(Administrator administrator, String realm, AccountFields fields, String ipAddress) {
		return this.provisioning.create(realm, fields, change(administrator, ipAddress)).id();
	}

	/**
	 * Deletes an account with everything it holds, audited as {@code ACCOUNT_DELETED} naming
	 * the administrator.
	 * @param expectedVersion the version the caller read ({@code If-Match}), or {@code null}
	 */
	@Transactional
	void deleteUser(Administrator administrator, String realm, String userId, Long expectedVersion, String ipAddress) {
		Identity user = user(realm, userId);
		this.provisioning.delete(realm, user.id(), expectedVersion, change(administrator, ipAddress));
	}

	private static AccountProvisioning.Change change(Administrator administrator, String ipAddress) {
		return new AccountProvisioning.Change(administrator.subject(), administrator.clientId(), ipAddress, "admin-api");
	}

	/**
	 * Removes the account's authenticator app (and its recovery codes) or one passkey,
	 * audited as {@code FACTOR_REMOVED} naming the administrator.
	 * @param passkeyId the passkey's credential id, or {@code null} for the authenticator app
	 */
	@Transactional
	void removeFactor(Administrator administrator, String realm, String userId, String passkeyId, String ipAddress) {
		Identity user = user(realm, userId);
		boolean removed = (passkeyId != null) ? this.passkeys.remove(realm, user.id(), passkeyId)
				: this.totp.remove(user.id());
		if (!removed) {
			throw new UnknownFactorException(realm, userId, (passkeyId != null) ? "passkey " + passkeyId : "totp");
		}
		this.audit.record(AuditEvent.of(realm, AuditEventType.FACTOR_REMOVED)
			.subject(user.subject())
			.username(user.username())
			.client(administrator.clientId())
			.ipAddress(ipAddress)
			.detail("factor", (passkeyId != null) ? "passkey" : "totp")
			.detail("credential_id", passkeyId)
			.detail("actor", administrator.subject())
			.detail("actorRealm", administrator.realm())
			.build());
	}

	@Transactional
	String setTemporaryPassword(Administrator administrator, String realm, String userId, String ipAddress) {
		Identity user = user(realm, userId);
		String temporary = this.accounts.setTemporaryPassword(realm, userId)
			.orElseThrow(() -> new UnknownUserException(realm, userId));
		recordChange(administrator, user, "temporary-password", ipAddress);
		return temporary;
	}

	@Transactional
	void saveUnit(Administrator administrator, String realm, DirectoryService.UnitInput unit, String ipAddress) {
		this.directory.saveUnit(realm, unit);
		recordChange(administrator, realm, null, "save-unit", ipAddress, "unit", unit.code());
	}

	@Transactional
	void renameUnit(Administrator administrator, String realm, String code, String nameJa, String nameEn,
			Instant from, String ipAddress) {
		this.units.rename(realm, code, nameJa, nameEn, from);
		recordChange(administrator, realm, null, "rename-unit", ipAddress, "unit", code);
	}

	@Transactional
	OrgUnits.Merged mergeUnit(Administrator administrator, String realm, String code, String into, Instant at,
			String ipAddress) {
		OrgUnits.Merged merged = this.units.merge(realm, code, into, at);
		recordChange(administrator, realm, null, "merge-unit", ipAddress, "unit", code + " -> " + into);
		return merged;
	}

	@Transactional
	void closeUnit(Administrator administrator, String realm, String code, Instant at, String ipAddress) {
		this.units.close(realm, code, at);
		recordChange(administrator, realm, null, "close-unit", ipAddress, "unit", code);
	}

	@Transactional
	void deleteUnit(Administrator administrator, String realm, String code, String ipAddress) {
		this.units.delete(realm, code);
		recordChange(administrator, realm, null, "delete-unit", ipAddress, "unit", code);
	}

	@Transactional
	void removeAssignment(Administrator administrator, String realm, String userId, UUID id, String ipAddress) {
		Identity user = user(realm, userId);
		this.directory.removeAssignment(realm, user.id(), id);
		recordChange(administrator, realm, user, "remove-assignment", ipAddress, "assignment", id.toString());
	}

	@Transactional
	void removeRoleRule(Administrator administrator, String realm, UUID id, String ipAddress) {
		this.directory.removeRoleRule(realm, id);
		recordChange(administrator, realm, null, "remove-role-rule", ipAddress, "rule", id.toString());
	}

	@Transactional
	void revokeRole(Administrator administrator, String realm, String userId, String client, String role,
			String ipAddress) {
		Identity user = user(realm, userId);
		this.directory.revokeRole(realm, user.id(), client, role);
		recordChange(administrator, realm, user, "revoke-role", ipAddress, "role", client + ":" + role);
	}

	@Transactional
	void removeStaff(Administrator administrator, String realm, String userId, String ipAddress) {
		Identity user = user(realm, userId);
		this.directory.removeStaff(realm, user.id());
		recordChange(administrator, realm, user, "remove-staff", ipAddress, null, null);
	}

	@Transactional
	void saveStaff(Administrator administrator, String realm, String userId, DirectoryService.StaffInput staff,
			String ipAddress) {
		Identity user = user(realm, userId);
		this.directory.saveStaff(realm, user.id(), staff);
		recordChange(administrator, realm, user, "save-staff", ipAddress, "employeeNumber", staff.employeeNumber());
	}

	@Transactional
	UUID addAssignment(Administrator administrator, String realm, String userId,
			DirectoryService.AssignmentInput assignment, String ipAddress) {
		Identity user = user(realm, userId);
		UUID id = this.directory.addAssignment(realm, user.id(), assignment);
		recordChange(administrator, realm, user, "add-assignment", ipAddress, "assignment", id.toString());
		return id;
	}

	@Transactional
	UUID addRoleRule(Administrator administrator, String realm, DirectoryService.RoleRuleInput rule,
			String ipAddress) {
		UUID id = this.directory.addRoleRule(realm, rule);
		recordChange(administrator, realm, null, "add-role-rule", ipAddress, "rule", id.toString());
		return id;
	}

	@Transactional
	void grantRole(Administrator administrator, String realm, String userId, String client, String role,
			String ipAddress) {
		Identity user = user(realm, userId);
		this.directory.grantRole(user.id(), client, role);
		recordChange(administrator, realm, user, "grant-role", ipAddress, "role", client + ":" + role);
	}

	@Transactional
	TransferBatches.Batch uploadTransfers(Administrator administrator, String realm, byte[] file, String ipAddress) {
		TransferBatches.Batch batch = this.transfers.upload(realm, file, administrator.subject());
		recordChange(administrator, realm, null, "upload-transfers", ipAddress, "batch", batch.id().toString());
		return batch;
	}

	@Transactional
	TransferBatches.Batch scheduleTransfers(Administrator administrator, String realm, UUID id, String ipAddress) {
		TransferBatches.Batch batch = this.transfers.schedule(realm, id)
			.orElseThrow(() -> new UnknownTransferBatchException(realm, id));
		recordChange(administrator, realm, null, "schedule-transfers", ipAddress, "batch", id.toString());
		return batch;
	}

	@Transactional
	TransferBatches.Batch cancelTransfers(Administrator administrator, String realm, UUID id, String ipAddress) {
		TransferBatches.Batch batch = this.transfers.cancel(realm, id)
			.orElseThrow(() -> new UnknownTransferBatchException(realm, id));
		recordChange(administrator, realm, null, "cancel-transfers", ipAddress, "batch", id.toString());
		return batch;
	}

	@Transactional
	ClientRegistry.Registered registerClient(Administrator administrator, String realm, ClientInput client,
			String ipAddress) {
		ClientRegistry.Registered registered = this.clients.register(realm, client);
		recordChange(administrator, realm, null, "register-client", ipAddress, "client",
				registered.client().clientId());
		return registered;
	}

	@Transactional
	ClientRegistry.ClientView updateClient(Administrator administrator, String realm, String clientId,
			ClientInput client, String ipAddress) {
		ClientRegistry.ClientView updated = this.clients.update(realm, clientId, client);
		recordChange(administrator, realm, null, "update-client", ipAddress, "client", clientId);
		return updated;
	}

	/** @return the new secret, shown to the administrator this once */
	@Transactional
	String rotateClientSecret(Administrator administrator, String realm, String clientId, String ipAddress) {
		String secret = this.clients.rotateSecret(realm, clientId);
		recordChange(administrator, realm, null, "rotate-client-secret", ipAddress, "client", clientId);
		return secret;
	}

	@Transactional
	void deleteClient(Administrator administrator, String realm, String clientId, String ipAddress) {
		this.clients.delete(realm, clientId);
		recordChange(administrator, realm, null, "delete-client", ipAddress, "client", clientId);
	}

	@Transactional
	SigningKeyService.Rotation rotateKeys(Administrator administrator, String realm, String ipAddress) {
		SigningKeyService.Rotation rotation = this.keys.rotate(realm);
		recordChange(administrator, realm, null, "rotate-keys", ipAddress, "kids", String.join(" ", rotation.kids()));
		return rotation;
	}

	@Transactional
	TransferBatches.Batch reverseTransfers(Administrator administrator, String realm, UUID id, LocalDate date,
			String ipAddress) {
		TransferBatches.Batch batch = this.transfers.reverse(realm, id, date, administrator.subject())
			.orElseThrow(() -> new UnknownTransferBatchException(realm, id));
		recordChange(administrator, realm, null, "reverse-transfers", ipAddress, "batch",
				id + " -> " + batch.id());
		return batch;
	}

	/**
	 * Changes a person's data; the audit event names the fields changed, not their values
	 * (the trail outlives corrections of personal data).
	 */
	@Transactional
	PersonRecords.PersonView changePerson(Administrator administrator, String realm, String userId,
			Map<PersonRecords.Field, Object> fields, Long expectedVersion, String ipAddress) {
		Identity user = user(realm, userId);
		PersonRecords.PersonView changed = this.people
			.update(realm, userId, fields, expectedVersion, "admin " + administrator.subject())
			.orElseThrow(() -> new UnknownUserException(realm, userId));
		if (!fields.isEmpty()) {
			recordChange(administrator, realm, user, "change-person", ipAddress, "fields",
					fields.keySet().stream().map(PersonRecords.Field::key).collect(Collectors.joining(" ")));
		}
		return changed;
	}

	@Transactional
	AccountService.Assurance recordEvidence(Administrator administrator, String realm, String userId,
			AccountService.Evidence evidence, String ipAddress) {
		Identity user = user(realm, userId);
		this.accounts.recordEvidence(realm, userId, evidence, ipAddress);
		recordChange(administrator, realm, user, "record-evidence", ipAddress, "ial", String.valueOf(evidence.ial()));
		return this.accounts.assurance(realm, userId).orElseThrow();
	}

	private void recordChange(Administrator administrator, Identity target, String action, String ipAddress) {
		recordChange(administrator, target.realm(), target, action, ipAddress, null, null);
	}

	/** @param target the account changed, {@code null} for a change to the realm's directory */
	private void recordChange(Administrator administrator, String realm, Identity target, String action,
			String ipAddress, String detail, String value) {
		AuditEvent.Builder event = AuditEvent.of(realm, AuditEventType.ADMIN_CHANGE)
			.client(administrator.clientId())
			.ipAddress(ipAddress)
			.detail("action", action)
			.detail("actor", administrator.subject())
			.detail("actorRealm", administrator.realm());
		if (target != null) {
			event.subject(target.subject()).username(target.username());
		}
		if (detail != null) {
			event.detail(detail, value);
		}
		this.audit.record(event.build());
	}

}
