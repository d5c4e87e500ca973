package jp.hitotsu.oidc;

import java.util.Date;
import java.util.List;

import jp.hitotsu.login.RealmPrincipal;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.stereotype.Component;

/**
 * Tells the authorization server which login session a principal is in, so the ID token
 * gets a {@code sid}. The session is the realm login itself (one browser session holds a
 * login per realm), and it travels with the principal, so nothing is kept in this
 * process's memory and any instance answers the same.
 */
@Component
class RealmSessionRegistry implements SessionRegistry {

	@Override
	public List<Object> getAllPrincipals() {
		return List.of();
	}

	@Override
	public List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
		if (principal instanceof RealmPrincipal realmPrincipal) {
			return List.of(new SessionInformation(realmPrincipal, realmPrincipal.sessionId(), new Date()));
		}
		return List.of();
	}

	@Override
	public SessionInformation getSessionInformation(String sessionId) {
		return null;
	}

	@Override
	public void refreshLastRequest(String sessionId) {
	}

	@Override
	public void registerNewSession(String sessionId, Object principal) {
	}

	@Override
	public void removeSessionInformation(String sessionId) {
	}

}
