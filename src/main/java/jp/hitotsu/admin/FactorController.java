package jp.hitotsu.admin;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.Passkeys;
import jp.hitotsu.account.RecoveryCodes;
import jp.hitotsu.account.TotpAuthenticators;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's second factors, for the help desk's "I lost my phone": see what is enrolled,
 * remove the lost one. In a realm that needs a second factor, its owner enrols a new one at
 * the next login (after the password); ending the account's sessions is a separate call.
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}/users/{userId}/factors")
class FactorController {

	private final AdminChanges changes;

	private final TotpAuthenticators totp;

	private final RecoveryCodes recoveryCodes;

	private final Passkeys passkeys;

	FactorController(AdminChanges changes, TotpAuthenticators totp, RecoveryCodes recoveryCodes, Passkeys passkeys) {
		this.changes = changes;
		this.totp = totp;
		this.recoveryCodes = recoveryCodes;
		this.passkeys = passkeys;
	}

	@GetMapping
	@Operation(summary = "List an account's second factors: authenticator app, recovery codes left, passkeys")
	@AdminOperation(AdminPermission.MANAGE_FACTORS)
	Factors list(@PathVariable String realm, @PathVariable String userId) {
		Identity user = this.changes.user(realm, userId);
		return new Factors(this.totp.enrolled(user.id()), this.recoveryCodes.remaining(user.id()),
				this.passkeys.list(realm, user.id()));
	}

	@DeleteMapping("/totp")
	@Operation(summary = "Remove an account's authenticator app and its recovery codes")
	@AdminOperation(AdminPermission.MANAGE_FACTORS)
	ResponseEntity<Void> removeTotp(@PathVariable String realm, @PathVariable String userId,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.removeFactor(administrator, realm, userId, null, request.getRemoteAddr());
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping("/passkeys/{credentialId}")
	@Operation(summary = "Remove one of an account's passkeys")
	@AdminOperation(AdminPermission.MANAGE_FACTORS)
	ResponseEntity<Void> removePasskey(@PathVariable String realm, @PathVariable String userId,
			@PathVariable String credentialId,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.removeFactor(administrator, realm, userId, credentialId, request.getRemoteAddr());
		return ResponseEntity.noContent().build();
	}

	/**
	 * @param totp whether an authenticator app is enrolled
	 * @param recoveryCodesLeft the unused recovery codes that stand in for it
	 * @param passkeys the passkeys, newest first
	 */
	record Factors(boolean totp, int recoveryCodesLeft, List<Passkeys.PasskeyInfo> passkeys) {
	}

}
