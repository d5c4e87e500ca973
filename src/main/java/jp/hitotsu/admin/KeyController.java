package jp.hitotsu.admin;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.keys.SigningKeyService;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * Key rotation from a running instance, as the {@code rotate-keys} command does it: the new
 * keys are published at once on every instance and sign from
 * {@code hitotsu.keys.activation-delay} on.
 */
@RestController
class KeyController {

	private final AdminChanges changes;

	private final RealmRegistry realms;

	KeyController(AdminChanges changes, RealmRegistry realms) {
		this.changes = changes;
		this.realms = realms;
	}

	@PostMapping("/admin/api/realms/{realm}/keys/rotation")
	@Operation(summary = "Rotate the realm's signing keys")
	@AdminOperation(AdminPermission.MANAGE_KEYS)
	SigningKeyService.Rotation rotate(@PathVariable String realm,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.realms.get(realm);
		return this.changes.rotateKeys(administrator, realm, request.getRemoteAddr());
	}

}
