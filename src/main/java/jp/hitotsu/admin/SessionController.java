package jp.hitotsu.admin;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.session.RealmSessions;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's login sessions in a realm: see them (when, which browser, which clients),
 * end one or all (the help desk's answer to "I lost my phone"). Ending a session logs its
 * browser out of the realm, ends its grants and tells its clients (back-channel logout).
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}/users/{userId}/sessions")
class SessionController {

	private final RealmSessions sessions;

	private final AdminChanges changes;

	SessionController(RealmSessions sessions, AdminChanges changes) {
		this.sessions = sessions;
		this.changes = changes;
	}

	@GetMapping
	@Operation(summary = "List an account's login sessions: start, last use, browser, clients")
	@AdminOperation(AdminPermission.MANAGE_SESSIONS)
	List<RealmSessions.SessionView> list(@PathVariable String realm, @PathVariable String userId) {
		this.changes.user(realm, userId);
		return this.sessions.list(realm, userId);
	}

	@DeleteMapping("/{sid}")
	@Operation(summary = "End one login session and log out its clients")
	@AdminOperation(AdminPermission.MANAGE_SESSIONS)
	ResponseEntity<Void> end(@PathVariable String realm, @PathVariable String userId, @PathVariable String sid,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.endSession(administrator, realm, userId, sid, request.getRemoteAddr());
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping
	@Operation(summary = "End all of an account's login sessions and log out their clients")
	@AdminOperation(AdminPermission.MANAGE_SESSIONS)
	ResponseEntity<Void> endAll(@PathVariable String realm, @PathVariable String userId,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.changes.endSessions(administrator, realm, userId, request.getRemoteAddr());
		return ResponseEntity.noContent().build();
	}

}
