package jp.hitotsu.admin;

import java.net.URI;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.account.AccountFields;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.AccountVersions;
import jp.hitotsu.account.PersonRecords;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accounts made and removed by an administrator, with the same rules as SCIM's (the
 * username is unique in the realm, the fields' lengths): a new account has no password
 * (its owner gets a temporary one from the help desk, or uses a reset link), and deleting
 * one ends its sessions and grants and removes its factors and directory data.
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}/users")
class AccountController {

	private final AdminChanges changes;

	private final PersonRecords people;

	private final RealmRegistry realms;

	AccountController(AdminChanges changes, PersonRecords people, RealmRegistry realms) {
		this.changes = changes;
		this.people = people;
		this.realms = realms;
	}

	/** 201 with the person's data, its version as ETag, and where it is as Location. */
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Create an account, without a password")
	@AdminOperation(AdminPermission.MANAGE_ACCOUNTS)
	ResponseEntity<PersonRecords.PersonView> create(@PathVariable String realm, @RequestBody NewAccount account,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.realms.get(realm);
		UUID id = this.changes.createUser(administrator, realm, account.fields(), request.getRemoteAddr());
		PersonRecords.PersonView created = this.people.find(realm, id.toString()).orElseThrow();
		return ResponseEntity.created(URI.create(request.getRequestURI() + "/" + id))
			.eTag(AccountVersions.etag(created.version()))
			.body(created);
	}

	@DeleteMapping("/{userId}")
	@Operation(summary = "Delete an account with everything it holds")
	@AdminOperation(AdminPermission.MANAGE_ACCOUNTS)
	ResponseEntity<Void> delete(@PathVariable String realm, @PathVariable String userId,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.realms.get(realm);
		this.changes.deleteUser(administrator, realm, userId, AccountVersions.expected(ifMatch),
				request.getRemoteAddr());
		return ResponseEntity.noContent().build();
	}

	/**
	 * An account to create.
	 * @param username unique in the realm (stored in lower case)
	 * @param email stored as verified: the administrator vouches for it
	 * @param enabled true unless given
	 */
	record NewAccount(String username, String email, String givenName, String familyName, String displayName,
			Boolean enabled) {

		AccountFields fields() {
			String name = (this.displayName != null) ? this.displayName
					: AccountService.joinNames(this.familyName, this.givenName);
			return new AccountFields(this.username, null, this.email, this.givenName, this.familyName, name,
					this.enabled == null || this.enabled);
		}

	}

}
