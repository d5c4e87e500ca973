package jp.hitotsu.provisioning;

import java.time.Clock;
import java.util.Optional;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.AccountService.PasswordReplacement;
import jp.hitotsu.account.ChosenPasswordForm;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.PasswordFormError;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.Realm;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The first step of a person whose account came in a directory bundle: with the username
 * and the one-time code the administrator handed over, they choose a password. The code
 * is spent only when the password is accepted; a wrong code counts against it.
 */
@Service
class Activations {

	static final String CODE_FIELD = "code";

	private final AccountService accounts;

	private final ActivationCodes codes;

	private final AuditTrail audit;

	private final Clock clock;

	Activations(AccountService accounts, ActivationCodes codes, AuditTrail audit, Clock clock) {
		this.accounts = accounts;
		this.codes = codes;
		this.audit = audit;
		this.clock = clock;
	}

	/** How an activation went: the account activated, or what the form shows. */
	record Outcome(Identity activated, PasswordFormError error) {
	}

	@Transactional
	Outcome activate(Realm realm, String username, String code, ChosenPasswordForm form, String ipAddress) {
		AuditEvent.Builder event = AuditEvent.of(realm.name(), AuditEventType.ACCOUNT_ACTIVATED).ipAddress(ipAddress);
		Optional<Identity> account = (username.isBlank() || username.length() > 255 || username.indexOf('\0') >= 0) ? Optional.empty()
				: this.accounts.findByUsername(realm.name(), username).filter(Identity::enabled);
		ActivationCodes.Check check = account.isPresent() && code.length() <= 64
				? this.codes.check(account.get().id(), code, this.clock.instant()) : ActivationCodes.Check.NONE;
		if (check != ActivationCodes.Check.ACCEPTED) {
			account.ifPresent((found) -> event.subject(found.subject()).username(found.username()));
			this.audit.record(event.failure().detail("reason", check.name().toLowerCase(java.util.Locale.ROOT)).build());
			return new Outcome(null, new PasswordFormError(CODE_FIELD, "activation.error.code", null));
		}
		Identity identity = account.get();
		Optional<PasswordFormError> error = form.check();
		if (error.isEmpty()) {
			error = this.accounts
				.replacePassword(realm, identity.subject(), form.newPassword(), PasswordReplacement.ACTIVATION,
						ipAddress)
				.map((rejection) -> PasswordFormError.of(rejection, realm.passwordPolicy()));
		}
		if (error.isPresent()) {
			return new Outcome(null, error.get());
		}
		this.codes.spend(identity.id());
		this.codes.activated(identity.id(), this.clock.instant());
		this.audit.record(event.subject(identity.subject()).username(identity.username()).build());
		return new Outcome(identity, null);
	}

}
