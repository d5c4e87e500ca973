package jp.hitotsu.admin;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jp.hitotsu.account.AccountRecord;
import jp.hitotsu.account.AccountSearch;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.AccountVersions;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's user search: by username, e-mail address, employee number or the start of
 * a family or given name, in username order, page after page by keyset ({@code after} =
 * the previous page's {@code next}), so a page costs the same however deep it is. One
 * account by its id answers who it is to those who may search (the help desk, which may
 * not read a person's data), so a page about the account can name whom it is about.
 */
@RestController
class UserSearchController {

	private final AccountSearch search;

	private final RealmRegistry realms;

	UserSearchController(AccountSearch search, RealmRegistry realms) {
		this.search = search;
		this.realms = realms;
	}

	@GetMapping("/admin/api/realms/{realm}/users")
	@Operation(summary = "Search accounts by username, e-mail, employee number or name")
	@AdminOperation(AdminPermission.SEARCH_USERS)
	Users search(@PathVariable String realm, @RequestParam @NotBlank @Size(max = 255) String q,
			@RequestParam(required = false) @Size(max = 255) String after,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
		this.realms.get(realm);
		List<AccountRecord> found = this.search.quickSearch(realm, q, after, limit);
		String next = (found.size() == limit) ? found.get(found.size() - 1).username() : null;
		return new Users(found.stream().map(User::of).toList(), next);
	}

	@GetMapping("/admin/api/realms/{realm}/users/{userId}/summary")
	@Operation(summary = "Show who an account is: its username, names, e-mail and state, with its version as ETag")
	@AdminOperation(AdminPermission.SEARCH_USERS)
	ResponseEntity<User> summary(@PathVariable String realm, @PathVariable String userId) {
		this.realms.get(realm);
		User user = AccountService.parseId(userId)
			.flatMap((id) -> this.search.find(realm, id))
			.map(User::of)
			.orElseThrow(() -> new UnknownUserException(realm, userId));
		return ResponseEntity.ok().eTag(AccountVersions.etag(user.version())).body(user);
	}

	/** @param next the {@code after} of the next page, absent on the last one */
	record Users(List<User> users, String next) {
	}

	/** @param version what {@code If-Match} names to change or delete the account as it is now */
	record User(UUID id, String username, String email, String familyName, String givenName, String displayName,
			boolean enabled, String employeeNumber, long version) {

		static User of(AccountRecord account) {
			return new User(account.id(), account.username(), account.email(), account.familyName(),
					account.givenName(), account.displayName(), account.enabled(), account.employeeNumber(),
					account.version());
		}

	}

}
