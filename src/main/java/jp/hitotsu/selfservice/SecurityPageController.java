package jp.hitotsu.selfservice;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.Passkeys;
import jp.hitotsu.account.RecoveryCodes;
import jp.hitotsu.account.TotpAuthenticators;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.LoginPolicy.SecondFactor;
import jp.hitotsu.realm.Realm;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The account's security page: its authenticator app, recovery codes and passkeys, each
 * removable. Adding one goes through the same enrolment pages a login uses. A person not
 * logged in to the realm logs in first and comes back here.
 */
@Controller
class SecurityPageController {

	private final AccountPages pages;

	private final TotpAuthenticators totp;

	private final RecoveryCodes recoveryCodes;

	private final Passkeys passkeys;

	private final AuditTrail audit;

	SecurityPageController(AccountPages pages, TotpAuthenticators totp, RecoveryCodes recoveryCodes, Passkeys passkeys,
			AuditTrail audit) {
		this.pages = pages;
		this.totp = totp;
		this.recoveryCodes = recoveryCodes;
		this.passkeys = passkeys;
		this.audit = audit;
	}

	@GetMapping("/realms/{realmName}/account/security")
	String page(HttpServletRequest request, HttpServletResponse response, Model model) {
		return this.pages.show(request, response,
				(realm, owner) -> render(request, model, realm, owner, request.getParameter("added"), null));
	}

	@PostMapping("/realms/{realmName}/account/security/totp/remove")
	String removeTotp(HttpServletRequest request, HttpServletResponse response, Model model) {
		return this.pages.handle(request, (realm, owner) -> {
			if (!this.passkeys.has(realm.name(), owner.id()) && secondFactorRequired(realm)) {
				response.setStatus(HttpStatus.CONFLICT.value());
				return render(request, model, realm, owner, null, "security.error.last-factor");
			}
			this.totp.remove(owner.id());
			removed(request, realm, owner, "totp", null);
			return "redirect:/realms/" + realm.name() + "/account/security?removed=totp";
		});
	}

	@PostMapping("/realms/{realmName}/account/security/passkeys/{credentialId}/remove")
	String removePasskey(@PathVariable String credentialId, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		return this.pages.handle(request, (realm, owner) -> {
			boolean last = this.passkeys.list(realm.name(), owner.id()).size() == 1
					&& (!this.totp.enrolled(owner.id()) || realm.login().level().atLeast(AssuranceLevel.AAL3));
			if (last && secondFactorRequired(realm)) {
				response.setStatus(HttpStatus.CONFLICT.value());
				return render(request, model, realm, owner, null, "security.error.last-factor");
			}
			if (!this.passkeys.remove(realm.name(), owner.id(), credentialId)) {
				response.setStatus(HttpStatus.NOT_FOUND.value());
				return render(request, model, realm, owner, null, "security.error.no-such-passkey");
			}
			removed(request, realm, owner, "passkey", credentialId);
			return "redirect:/realms/" + realm.name() + "/account/security?removed=passkey";
		});
	}

	private String render(HttpServletRequest request, Model model, Realm realm, Identity account, String added,
			String error) {
		model.addAttribute("account", account);
		// the owner and the time zone the passkeys' dates are shown in
		this.pages.describe(model, account);
		model.addAttribute("base", "/realms/" + realm.name() + "/account/security");
		model.addAttribute("totpAllowed", realm.login().allows(SecondFactor.TOTP));
		model.addAttribute("passkeysAllowed", realm.login().allows(SecondFactor.PASSKEY));
		model.addAttribute("passkeysHere", this.passkeys.relyingParty(request).isPresent());
		model.addAttribute("totpEnrolled", this.totp.enrolled(account.id()));
		model.addAttribute("recoveryCodesLeft", this.recoveryCodes.remaining(account.id()));
		model.addAttribute("passkeys", this.passkeys.list(realm.name(), account.id()));
		model.addAttribute("added", added);
		model.addAttribute("removed", request.getParameter("removed"));
		model.addAttribute("error", error);
		return "security";
	}

	private static boolean secondFactorRequired(Realm realm) {
		return realm.login().level().atLeast(AssuranceLevel.AAL2);
	}

	private void removed(HttpServletRequest request, Realm realm, Identity account, String factor, String id) {
		this.audit.record(AuditEvent.of(realm.name(), AuditEventType.FACTOR_REMOVED)
			.subject(account.subject())
			.username(account.username())
			.ipAddress(request.getRemoteAddr())
			.detail("factor", factor)
			.detail("credential_id", id)
			.build());
	}

}
