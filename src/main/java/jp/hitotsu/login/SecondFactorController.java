package jp.hitotsu.login;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.Passkeys;
import jp.hitotsu.account.Passkeys.Ceremony;
import jp.hitotsu.account.Passkeys.PasskeyException;
import jp.hitotsu.account.Passkeys.PasskeyLogin;
import jp.hitotsu.account.Passkeys.RelyingParty;
import jp.hitotsu.account.RecoveryCodes;
import jp.hitotsu.account.TotpAuthenticators;
import jp.hitotsu.account.TotpAuthenticators.TotpCheck;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.LoginPolicy.SecondFactor;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The second step of a login, and the passkey login: an authenticator app code, a
 * recovery code or a passkey, whichever the account has and the level needs. A passkey
 * may also start a login on its own (passwordless) where the realm allows it; the
 * authenticator must then verify the person, which makes it two factors in one.
 */
@Controller
class SecondFactorController {

	private static final String PASSKEY_REQUEST = "hitotsu.passkey-request.";

	private final LoginFlow flow;

	private final AccountService accounts;

	private final TotpAuthenticators totp;

	private final RecoveryCodes recoveryCodes;

	private final Passkeys passkeys;

	private final AuditTrail audit;

	private final JsonAnswers answers;

	SecondFactorController(LoginFlow flow, AccountService accounts, TotpAuthenticators totp,
			RecoveryCodes recoveryCodes, Passkeys passkeys, AuditTrail audit, JsonAnswers answers) {
		this.flow = flow;
		this.accounts = accounts;
		this.totp = totp;
		this.recoveryCodes = recoveryCodes;
		this.passkeys = passkeys;
		this.audit = audit;
		this.answers = answers;
	}

	@GetMapping("/realms/{realmName}/login/second-factor")
	String page(HttpServletRequest request, Model model) {
		Realm realm = RealmContext.require();
		Optional<PendingLogin> pending = this.flow.pending(request, realm);
		if (pending.isEmpty()) {
			return "redirect:/realms/" + realm.name() + "/login";
		}
		Choices choices = choices(request, realm, pending.get());
		if (!choices.any()) {
			return "redirect:/realms/" + realm.name() + "/login/enroll";
		}
		return render(model, pending.get(), choices, null);
	}

	@PostMapping("/realms/{realmName}/login/second-factor/totp")
	String totp(@RequestParam(name = "code", defaultValue = "") String code, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		Optional<PendingLogin> pending = this.flow.pending(request, realm);
		if (pending.isEmpty()) {
			return "redirect:/realms/" + realm.name() + "/login";
		}
		Choices choices = choices(request, realm, pending.get());
		if (!choices.totp()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return render(model, pending.get(), choices, "second-factor.error.totp-not-offered");
		}
		TotpCheck check = this.totp.verify(pending.get().accountId(), code.strip().replace(" ", ""));
		if (check == TotpCheck.ACCEPTED) {
			recordFactor(realm, pending.get(), request, "totp");
			return this.flow.proven(request, response, realm, Factor.TOTP);
		}
		String error = switch (check) {
			case MALFORMED -> "second-factor.error.totp-format";
			case REPLAYED -> "second-factor.error.totp-used";
			default -> "second-factor.error.totp-wrong";
		};
		return failed(request, response, model, realm, pending.get(), choices, "totp", check.name(), error);
	}

	@PostMapping("/realms/{realmName}/login/second-factor/recovery-code")
	String recoveryCode(@RequestParam(name = "code", defaultValue = "") String code, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		Optional<PendingLogin> pending = this.flow.pending(request, realm);
		if (pending.isEmpty()) {
			return "redirect:/realms/" + realm.name() + "/login";
		}
		Choices choices = choices(request, realm, pending.get());
		if (choices.totp() && this.recoveryCodes.use(pending.get().accountId(), code)) {
			recordFactor(realm, pending.get(), request, "recovery_code");
			return this.flow.proven(request, response, realm, Factor.RECOVERY_CODE);
		}
		return failed(request, response, model, realm, pending.get(), choices, "recovery_code", "WRONG",
				"second-factor.error.recovery-code-wrong");
	}

	/**
	 * Options for {@code navigator.credentials.get()}: the pending login's account's
	 * passkeys, or any passkey of this site for a passwordless login.
	 */
	@PostMapping(path = "/realms/{realmName}/login/passkey/options", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<String> passkeyOptions(HttpServletRequest request) {
		Realm realm = RealmContext.require();
		Optional<RelyingParty> rp = this.passkeys.relyingParty(request);
		if (rp.isEmpty()) {
			return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error.unavailable-here");
		}
		Optional<PendingLogin> pending = this.flow.pending(request, realm);
		Ceremony<PublicKeyCredentialRequestOptions> ceremony;
		if (pending.isPresent()) {
			Identity account = this.accounts.find(realm.name(), pending.get().subject()).orElse(null);
			if (account == null || !choices(request, realm, pending.get()).passkey()) {
				return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error.none-registered");
			}
			ceremony = this.passkeys.startAuthentication(rp.get(), account,
					userVerificationRequired(pending.get()));
		}
		else if (realm.login().passwordless() && realm.login().allows(SecondFactor.PASSKEY)) {
			ceremony = this.passkeys.startAuthentication(rp.get(), null, true);
		}
		else {
			return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error.passwordless-off");
		}
		request.getSession().setAttribute(PASSKEY_REQUEST + realm.name(), ceremony.pending());
		return ResponseEntity.ok(ceremony.optionsJson());
	}

	/** Checks the passkey answer; answers where the browser goes next. */
	@PostMapping(path = "/realms/{realmName}/login/passkey", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<String> passkey(@RequestBody String credential, HttpServletRequest request,
			HttpServletResponse response) {
		Realm realm = RealmContext.require();
		Optional<RelyingParty> rp = this.passkeys.relyingParty(request);
		Object options = request.getSession().getAttribute(PASSKEY_REQUEST + realm.name());
		request.getSession().removeAttribute(PASSKEY_REQUEST + realm.name());
		if (rp.isEmpty() || !(options instanceof PublicKeyCredentialRequestOptions requestOptions)) {
			return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error.no-ceremony");
		}
		Optional<PendingLogin> pending = this.flow.pending(request, realm);
		PasskeyLogin login;
		try {
			login = this.passkeys.finishAuthentication(rp.get(), realm.name(), requestOptions, credential);
		}
		catch (PasskeyException ex) {
			auditFailure(realm, pending.orElse(null), request, "passkey", ex.reason());
			pending.ifPresent((ignored) -> this.flow.factorFailed(request, realm));
			return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error." + ex.reason());
		}
		if (pending.isPresent()) {
			if (!login.accountId().equals(pending.get().accountId())) {
				auditFailure(realm, pending.get(), request, "passkey", "other-account");
				this.flow.factorFailed(request, realm);
				return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error.other-account");
			}
			recordFactor(realm, pending.get(), request, "passkey");
			Factor[] proven = login.userVerified() ? new Factor[] { Factor.PASSKEY, Factor.USER_VERIFICATION }
					: new Factor[] { Factor.PASSKEY };
			return this.answers.redirect(this.flow.proven(request, response, realm, proven));
		}
		Optional<Identity> account = this.accounts.find(realm.name(), login.accountId().toString())
			.filter(Identity::enabled);
		if (account.isEmpty()) {
			auditFailure(realm, null, request, "passkey", "account-unavailable");
			return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error.not-verified");
		}
		Set<Factor> factors = EnumSet.of(Factor.PASSKEY, Factor.USER_VERIFICATION);
		return this.answers.redirect(this.flow.begin(request, response, realm, account.get(), factors, false));
	}

	/**
	 * The factors worth offering: the ones the account has, the realm allows, and that
	 * reach the level this login needs together with what is already proven.
	 */
	private Choices choices(HttpServletRequest request, Realm realm, PendingLogin pending) {
		AssuranceLevel needed = pending.level();
		boolean totpReaches = LoginFlow.reached(with(pending.factors(), Factor.TOTP)).atLeast(needed);
		boolean passkeyReaches = LoginFlow
			.reached(with(pending.factors(), Factor.PASSKEY, Factor.USER_VERIFICATION))
			.atLeast(needed);
		boolean totp = totpReaches && realm.login().allows(SecondFactor.TOTP)
				&& this.totp.enrolled(pending.accountId());
		boolean passkey = passkeyReaches && realm.login().allows(SecondFactor.PASSKEY)
				&& this.passkeys.relyingParty(request).isPresent()
				&& this.passkeys.has(realm.name(), pending.accountId());
		return new Choices(totp, passkey);
	}

	/**
	 * A passkey alone must verify the person to be enough; after a password it is the
	 * second factor already, unless the level needs both.
	 */
	private static boolean userVerificationRequired(PendingLogin pending) {
		return !LoginFlow.reached(with(pending.factors(), Factor.PASSKEY)).atLeast(pending.level());
	}

	private static Set<Factor> with(Set<Factor> factors, Factor... more) {
		EnumSet<Factor> all = EnumSet.noneOf(Factor.class);
		all.addAll(factors);
		all.addAll(Set.of(more));
		return all;
	}

	private String failed(HttpServletRequest request, HttpServletResponse response, Model model, Realm realm,
			PendingLogin pending, Choices choices, String factor, String reason, String error) {
		auditFailure(realm, pending, request, factor, reason);
		if (!this.flow.factorFailed(request, realm)) {
			return "redirect:/realms/" + realm.name() + "/login?too_many_attempts";
		}
		response.setStatus(HttpStatus.UNAUTHORIZED.value());
		return render(model, pending, choices, error);
	}

	private String render(Model model, PendingLogin pending, Choices choices, String error) {
		model.addAttribute("pending", pending);
		model.addAttribute("choices", choices);
		model.addAttribute("error", error);
		return "second-factor";
	}

	private void recordFactor(Realm realm, PendingLogin pending, HttpServletRequest request, String factor) {
		this.audit.record(AuditEvent.of(realm.name(), AuditEventType.LOGIN_FACTOR)
			.subject(pending.subject())
			.username(pending.username())
			.ipAddress(request.getRemoteAddr())
			.detail("factor", factor)
			.build());
	}

	private void auditFailure(Realm realm, PendingLogin pending, HttpServletRequest request, String factor,
			String reason) {
		this.audit.record(AuditEvent.of(realm.name(), AuditEventType.LOGIN_FAILED)
			.failure()
			.subject((pending != null) ? pending.subject() : null)
			.username((pending != null) ? pending.username() : null)
			.ipAddress(request.getRemoteAddr())
			.detail("factor", factor)
			.detail("reason", reason)
			.build());
	}


	/** What the second-factor page offers. */
	record Choices(boolean totp, boolean passkey) {

		boolean any() {
			return this.totp || this.passkey;
		}

	}

}
