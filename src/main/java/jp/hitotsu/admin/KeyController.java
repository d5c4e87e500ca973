package jp.hitotsu.admin;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.keys.SigningKeyService;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.web.bind.annotation.GetMapping;
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

	private final SigningKeyService keys;

	KeyController(AdminChanges changes, RealmRegistry realms, SigningKeyService keys) {
		this.keys = keys;
		this.changes = changes;
		this.realms = realms;
	}

	@GetMapping("/admin/api/realms/{realm}/keys")
	@Operation(summary = "List the realm's signing keys (never their private parts), the newest first")
	@AdminOperation(AdminPermission.MANAGE_KEYS)
	List<SigningKeyService.KeyView> list(@PathVariable String realm) {
		this.realms.get(realm);
		return this.keys.list(realm);
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
