package jp.hitotsu.admin;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jp.hitotsu.oidc.ClientInput;
import jp.hitotsu.oidc.ClientRegistry;
import jp.hitotsu.oidc.UnknownClientException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The clients of a realm: list, look at, register, replace, give a new secret, delete.
 * Clients of the realm file are listed too but change only with the file.
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}/clients")
class ClientController {

	private final ClientRegistry clients;

	private final AdminChanges changes;

	ClientController(ClientRegistry clients, AdminChanges changes) {
		this.clients = clients;
		this.changes = changes;
	}

	/** A new secret, shown this once. */
	record Secret(String clientId, String secret) {
	}

	/**
	 * @param after the {@code next} of the page before
	 * @param limit how many clients at most
	 */
	@GetMapping
	@Operation(summary = "List the realm's clients, by client id")
	@AdminOperation(AdminPermission.MANAGE_CLIENTS)
	ClientRegistry.Page list(@PathVariable String realm, @RequestParam(required = false) @Size(max = 255) String after,
			@RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
		return this.clients.list(realm, after, limit);
	}

	@GetMapping("/{clientId}")
	@Operation(summary = "Show a client (never its secret)")
	@AdminOperation(AdminPermission.MANAGE_CLIENTS)
	ClientRegistry.ClientView get(@PathVariable String realm, @PathVariable String clientId) {
		return this.clients.find(realm, clientId)
			.orElseThrow(() -> new UnknownClientException(realm, clientId));
	}

	@PostMapping
	@Operation(summary = "Register a client")
	@AdminOperation(AdminPermission.MANAGE_CLIENTS)
	@ResponseStatus(HttpStatus.CREATED)
	ClientRegistry.Registered register(@PathVariable String realm, @RequestBody ClientInput client,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return this.changes.registerClient(administrator, realm, client, request.getRemoteAddr());
	}

	@PutMapping("/{clientId}")
	@Operation(summary = "Replace a client registered through the API")
	@AdminOperation(AdminPermission.MANAGE_CLIENTS)
	ClientRegistry.ClientView update(@PathVariable String realm, @PathVariable String clientId,
			@RequestBody ClientInput client,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return this.changes.updateClient(administrator, realm, clientId, client, request.getRemoteAddr());
	}

	@PostMapping("/{clientId}/secret")
	@Operation(summary = "Give a client a new secret, shown once")
	@AdminOperation(AdminPermission.MANAGE_CLIENTS)
	Secret rotateSecret(@PathVariable String realm, @PathVariable String clientId,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return new Secret(clientId,
				this.changes.rotateClientSecret(administrator, realm, clientId, request.getRemoteAddr()));
	}

	@DeleteMapping("/{clientId}")
	@Operation(summary = "Delete a client registered through the API")
	@AdminOperation(AdminPermission.MANAGE_CLIENTS)
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String realm, @PathVariable String clientId,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.deleteClient(administrator, realm, clientId, request.getRemoteAddr());
	}

}
