package jp.hitotsu.admin;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.provisioning.DirectoryBundles;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Directory bundles (docs/directory-bundles.md): export from this zone, import into a realm
 * of this zone that accepts them. Both are audited by the provisioning package
 * ({@code BUNDLE_EXPORTED}, {@code BUNDLE_IMPORTED}, {@code BUNDLE_REFUSED}) with the
 * administrator as actor; a refused import is recorded although nothing else is.
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}")
class BundleController {

	/** The media type of a compact JWS (RFC 7515). */
	static final String JOSE = "application/jose";

	private final DirectoryBundles bundles;

	private final AccountService accounts;

	BundleController(DirectoryBundles bundles, AccountService accounts) {
		this.bundles = bundles;
		this.accounts = accounts;
	}

	/**
	 * @param kind {@code full} (the default) or {@code incremental}
	 */
	record ExportBody(String role, String client, String unit, List<String> roles, String kind) {
	}

	@PostMapping(path = "/bundles/export", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Export a signed directory bundle of the realm")
	@AdminOperation(AdminPermission.MANAGE_BUNDLES)
	ResponseEntity<byte[]> export(@PathVariable String realm, @RequestBody ExportBody body,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		boolean full = body.kind() == null || "full".equals(body.kind());
		if (!full && !"incremental".equals(body.kind())) {
			throw new InvalidKindException(body.kind());
		}
		DirectoryBundles.Exported exported = this.bundles.export(realm,
				new DirectoryBundles.ExportRequest(body.role(), body.client(), body.unit(), body.roles(), full),
				administrator.subject(), request.getRemoteAddr());
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(JOSE))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename("hitotsu-bundle-" + realm + "-" + exported.sequence() + ".jws")
						.build()
						.toString())
			.header("Hitotsu-Bundle-Sequence", Long.toString(exported.sequence()))
			.header("Hitotsu-Bundle-Accounts", Integer.toString(exported.accounts()))
			.body(exported.file());
	}

	@PostMapping(path = "/bundles/import", consumes = { JOSE, MediaType.APPLICATION_OCTET_STREAM_VALUE,
			MediaType.TEXT_PLAIN_VALUE })
	@Operation(summary = "Apply a signed directory bundle to the realm")
	@AdminOperation(AdminPermission.MANAGE_BUNDLES)
	DirectoryBundles.ImportReport importBundle(@PathVariable String realm, @RequestBody byte[] file,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return this.bundles.importBundle(realm, file, administrator.subject(), request.getRemoteAddr());
	}

	/**
	 * A new activation code for an account a bundle created that was never activated
	 * (its code expired, or was voided by wrong tries); the old code stops working.
	 */
	@PostMapping("/users/{userId}/activation-code")
	@Operation(summary = "Give a bundle-created account a new activation code")
	@AdminOperation(AdminPermission.MANAGE_BUNDLES)
	@ResponseStatus(HttpStatus.CREATED)
	DirectoryBundles.Created activationCode(@PathVariable String realm, @PathVariable String userId,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		Identity account = this.accounts.find(realm, userId).orElseThrow(() -> new UnknownUserException(realm, userId));
		return this.bundles.reissueActivationCode(realm, account, administrator.subject(), request.getRemoteAddr())
			.orElseThrow(() -> new NotAwaitingActivationException(realm, account.username()));
	}

	/** The account did not come in a bundle, is disabled, or was activated already. */
	static class NotAwaitingActivationException extends RuntimeException {

		private final String realm;

		private final String username;

		NotAwaitingActivationException(String realm, String username) {
			super("Account '" + username + "' of realm '" + realm + "' awaits no activation");
			this.realm = realm;
			this.username = username;
		}

		String realm() {
			return this.realm;
		}

		String username() {
			return this.username;
		}

	}

	/** {@code kind} is neither {@code full} nor {@code incremental}. */
	static class InvalidKindException extends RuntimeException {

		private final String kind;

		InvalidKindException(String kind) {
			super("kind '" + kind + "' is neither full nor incremental");
			this.kind = kind;
		}

		String kind() {
			return this.kind;
		}

	}

}
