package jp.hitotsu.login;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.Passkeys;
import jp.hitotsu.account.Passkeys.Ceremony;
import jp.hitotsu.account.Passkeys.PasskeyException;
import jp.hitotsu.account.Passkeys.PendingRegistration;
import jp.hitotsu.account.Passkeys.RelyingParty;
import jp.hitotsu.account.RecoveryCodes;
import jp.hitotsu.account.TotpAuthenticators;
import jp.hitotsu.account.TotpAuthenticators.TotpCheck;
import jp.hitotsu.account.TotpAuthenticators.TotpEnrolment;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.LoginPolicy.SecondFactor;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Adds an authenticator app or a passkey to an account, in two places: as a step of a
 * login, for an account that has no second factor yet where the realm needs one (under
 * {@code /login/enroll}), and from the account's security page (under
 * {@code /account/security}). The pages and checks are the same; what happens after
 * differs: the login continues, or the person returns to the security page.
 */
@Controller
class EnrolmentController {

	private static final String TOTP_ENROLMENT = "hitotsu.totp-enrolment.";

	private static final String PASSKEY_REGISTRATION = "hitotsu.passkey-registration.";

	private final LoginFlow flow;

	private final RealmLogins logins;

	private final AccountService accounts;

	private final TotpAuthenticators totp;

	private final RecoveryCodes recoveryCodes;

	private final Passkeys passkeys;

	private final AuditTrail audit;

	private final JsonAnswers answers;

	EnrolmentController(LoginFlow flow, RealmLogins logins, AccountService accounts, TotpAuthenticators totp,
			RecoveryCodes recoveryCodes, Passkeys passkeys, AuditTrail audit, JsonAnswers answers) {
		this.flow = flow;
		this.logins = logins;
		this.accounts = accounts;
		this.totp = totp;
		this.recoveryCodes = recoveryCodes;
		this.passkeys = passkeys;
		this.audit = audit;
		this.answers = answers;
	}

	/** The login step: which factor to add, when the account has none the level needs. */
	@GetMapping("/realms/{realmName}/login/enroll")
	String choose(HttpServletRequest request, Model model) {
		Realm realm = RealmContext.require();
		Optional<PendingLogin> pending = this.flow.pending(request, realm);
		if (pending.isEmpty()) {
			return "redirect:/realms/" + realm.name() + "/login";
		}
		model.addAttribute("pending", pending.get());
		model.addAttribute("offerTotp", totpReachesLevel(realm, pending.get()));
		model.addAttribute("offerPasskey", realm.login().allows(SecondFactor.PASSKEY));
		model.addAttribute("passkeysHere", this.passkeys.relyingParty(request).isPresent());
		model.addAttribute("base", base(realm, true));
		return "enroll";
	}

	@GetMapping({ "/realms/{realmName}/login/enroll/totp", "/realms/{realmName}/account/security/totp" })
	String totpPage(HttpServletRequest request, Model model) {
		Realm realm = RealmContext.require();
		Optional<Enrolling> enrolling = enrolling(request, realm);
		if (enrolling.isEmpty()) {
			return notEnrolling(realm);
		}
		TotpEnrolment enrolment = this.totp.newEnrolment(enrolling.get().account(),
				"Hitotsu " + realm.displayName().in(LocaleContextHolder.getLocale()));
		request.getSession().setAttribute(TOTP_ENROLMENT + realm.name(), enrolment);
		return totpForm(model, enrolling.get(), enrolment, null);
	}

	@PostMapping({ "/realms/{realmName}/login/enroll/totp", "/realms/{realmName}/account/security/totp" })
	String confirmTotp(@RequestParam(name = "code", defaultValue = "") String code, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		Realm realm = RealmContext.require();
		Optional<Enrolling> enrolling = enrolling(request, realm);
		if (enrolling.isEmpty()) {
			return notEnrolling(realm);
		}
		if (!(request.getSession().getAttribute(TOTP_ENROLMENT + realm.name()) instanceof TotpEnrolment enrolment)) {
			return "redirect:" + enrolling.get().base() + "/totp";
		}
		Identity account = enrolling.get().account();
		TotpCheck check = this.totp.confirm(account.id(), enrolment.sealedSecret(), code.strip().replace(" ", ""));
		if (check != TotpCheck.ACCEPTED) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return totpForm(model, enrolling.get(), enrolment, (check == TotpCheck.MALFORMED)
					? "second-factor.error.totp-format" : "second-factor.error.totp-wrong");
		}
		request.getSession().removeAttribute(TOTP_ENROLMENT + realm.name());
		List<String> codes = this.recoveryCodes.issue(account.id());
		enrolled(realm, account, request, "totp");
		if (enrolling.get().duringLogin()) {
			this.flow.record(request, realm, Factor.TOTP);
		}
		return recoveryCodesPage(model, enrolling.get(), codes);
	}

	/** The login step after the recovery codes were shown: the login continues. */
	@PostMapping("/realms/{realmName}/login/enroll/continue")
	String continueLogin(HttpServletRequest request, HttpServletResponse response) {
		Realm realm = RealmContext.require();
		if (this.flow.pending(request, realm).isEmpty()) {
			return "redirect:/realms/" + realm.name() + "/login";
		}
		return this.flow.resume(request, response, realm);
	}

	/** New recovery codes from the security page; the old ones stop working. */
	@PostMapping("/realms/{realmName}/account/security/recovery-codes")
	String newRecoveryCodes(HttpServletRequest request, Model model) {
		Realm realm = RealmContext.require();
		Optional<Enrolling> enrolling = enrolling(request, realm);
		if (enrolling.isEmpty() || !this.totp.enrolled(enrolling.get().account().id())) {
			return notEnrolling(realm);
		}
		List<String> codes = this.recoveryCodes.issue(enrolling.get().account().id());
		enrolled(realm, enrolling.get().account(), request, "recovery_codes");
		return recoveryCodesPage(model, enrolling.get(), codes);
	}

	@GetMapping("/realms/{realmName}/login/enroll/passkey")
	String passkeyPage(HttpServletRequest request, Model model) {
		Realm realm = RealmContext.require();
		Optional<Enrolling> enrolling = enrolling(request, realm);
		if (enrolling.isEmpty()) {
			return notEnrolling(realm);
		}
		model.addAttribute("base", enrolling.get().base());
		model.addAttribute("passkeysHere", this.passkeys.relyingParty(request).isPresent());
		return "enroll-passkey";
	}

	@PostMapping(path = { "/realms/{realmName}/login/enroll/passkey/options",
			"/realms/{realmName}/account/security/passkey/options" }, produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<String> passkeyOptions(HttpServletRequest request) {
		Realm realm = RealmContext.require();
		Optional<Enrolling> enrolling = enrolling(request, realm);
		Optional<RelyingParty> rp = this.passkeys.relyingParty(request);
		if (enrolling.isEmpty()) {
			return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error.no-ceremony");
		}
		if (rp.isEmpty() || !realm.login().allows(SecondFactor.PASSKEY)) {
			return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error.unavailable-here");
		}
		Identity account = enrolling.get().account();
		String displayName = (account.name() != null) ? account.name() : account.username();
		Ceremony<PendingRegistration> ceremony = this.passkeys.startRegistration(rp.get(), account, displayName,
				false);
		request.getSession().setAttribute(PASSKEY_REGISTRATION + realm.name(), ceremony.pending());
		return ResponseEntity.ok(ceremony.optionsJson());
	}

	@PostMapping(path = { "/realms/{realmName}/login/enroll/passkey", "/realms/{realmName}/account/security/passkey" },
			consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<String> registerPasskey(@RequestBody String credential,
			@RequestParam(name = "label", defaultValue = "") String label, HttpServletRequest request,
			HttpServletResponse response) {
		Realm realm = RealmContext.require();
		Optional<Enrolling> enrolling = enrolling(request, realm);
		Object stored = request.getSession().getAttribute(PASSKEY_REGISTRATION + realm.name());
		request.getSession().removeAttribute(PASSKEY_REGISTRATION + realm.name());
		if (enrolling.isEmpty() || !(stored instanceof PendingRegistration pending)
				|| !pending.accountId().equals(enrolling.get().account().id())) {
			return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error.no-ceremony");
		}
		try {
			this.passkeys.finishRegistration(pending, credential, label);
		}
		catch (PasskeyException ex) {
			this.audit.record(AuditEvent.of(realm.name(), AuditEventType.FACTOR_ENROLLED)
				.failure()
				.subject(enrolling.get().account().subject())
				.username(enrolling.get().account().username())
				.ipAddress(request.getRemoteAddr())
				.detail("factor", "passkey")
				.detail("reason", ex.reason())
				.build());
			return this.answers.error(HttpStatus.BAD_REQUEST, "passkey.error." + ex.reason());
		}
		enrolled(realm, enrolling.get().account(), request, "passkey");
		return this.answers.redirect(enrolling.get().duringLogin()
				? this.flow.proven(request, response, realm, Factor.PASSKEY) : enrolling.get().base() + "?added=passkey");
	}

	/**
	 * Whose factors this request adds to: in a login step the pending login's account; on
	 * the security page the account logged in to the realm.
	 */
	private Optional<Enrolling> enrolling(HttpServletRequest request, Realm realm) {
		boolean duringLogin = request.getRequestURI().startsWith("/realms/" + realm.name() + "/login/");
		Optional<String> subject = duringLogin
				? this.flow.pending(request, realm).map(PendingLogin::subject)
				: this.logins.current(request, realm).map(RealmAuthentication::getName);
		return subject.flatMap((id) -> this.accounts.find(realm.name(), id))
			.map((account) -> new Enrolling(account, duringLogin, base(realm, duringLogin)));
	}

	private static String notEnrolling(Realm realm) {
		return "redirect:/realms/" + realm.name() + "/login";
	}

	private static boolean totpReachesLevel(Realm realm, PendingLogin pending) {
		return realm.login().allows(SecondFactor.TOTP) && !pending.level().atLeast(AssuranceLevel.AAL3);
	}

	private static String base(Realm realm, boolean duringLogin) {
		return "/realms/" + realm.name() + (duringLogin ? "/login/enroll" : "/account/security");
	}

	private String totpForm(Model model, Enrolling enrolling, TotpEnrolment enrolment, String error) {
		model.addAttribute("base", enrolling.base());
		model.addAttribute("secret", enrolment.secretText());
		model.addAttribute("qrCode", QrCodeSvg.dataUri(enrolment.otpauthUri()));
		model.addAttribute("error", error);
		return "enroll-totp";
	}

	private String recoveryCodesPage(Model model, Enrolling enrolling, List<String> codes) {
		model.addAttribute("codes", codes);
		model.addAttribute("duringLogin", enrolling.duringLogin());
		model.addAttribute("base", enrolling.base());
		return "recovery-codes";
	}

	private void enrolled(Realm realm, Identity account, HttpServletRequest request, String factor) {
		this.audit.record(AuditEvent.of(realm.name(), AuditEventType.FACTOR_ENROLLED)
			.subject(account.subject())
			.username(account.username())
			.ipAddress(request.getRemoteAddr())
			.detail("factor", factor)
			.build());
	}

	/** The account a page adds a factor to, and where its pages live. */
	private record Enrolling(Identity account, boolean duringLogin, String base) {
	}

}
