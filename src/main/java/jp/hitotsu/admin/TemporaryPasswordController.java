package jp.hitotsu.admin;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A password reset by the help desk (staff who forgot theirs): the account gets a
 * one-time temporary password, returned in the answer only, that its owner must replace
 * at the next login before any token is issued.
 */
@RestController
class TemporaryPasswordController {

	private final AdminChanges changes;

	TemporaryPasswordController(AdminChanges changes) {
		this.changes = changes;
	}

	@PostMapping("/admin/api/realms/{realm}/users/{userId}/temporary-password")
	@Operation(summary = "Give an account a one-time temporary password")
	@AdminOperation(AdminPermission.RESET_PASSWORD)
	@ResponseStatus(HttpStatus.CREATED)
	TemporaryPassword set(@PathVariable String realm, @PathVariable String userId,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return new TemporaryPassword(
				this.changes.setTemporaryPassword(administrator, realm, userId, request.getRemoteAddr()), true);
	}

	/**
	 * @param temporaryPassword the password to hand over; it is not kept anywhere readable
	 * @param changeRequiredAtNextLogin always true: it works for one login only
	 */
	record TemporaryPassword(String temporaryPassword, boolean changeRequiredAtNextLogin) {
	}

}
