package jp.hitotsu.login;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;

/**
 * Remembers, per realm, the authorization request that sent the browser to the login
 * page, so that after the login it continues there. A request of one realm is never
 * resumed by a login to another.
 */
@Component
public class RealmRequestCache implements RequestCache {

	private final Map<String, HttpSessionRequestCache> caches = new ConcurrentHashMap<>();

	private final RequestCache none = new org.springframework.security.web.savedrequest.NullRequestCache();

	@Override
	public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
		cache().saveRequest(request, response);
	}

	@Override
	public SavedRequest getRequest(HttpServletRequest request, HttpServletResponse response) {
		return cache().getRequest(request, response);
	}

	@Override
	public HttpServletRequest getMatchingRequest(HttpServletRequest request, HttpServletResponse response) {
		return cache().getMatchingRequest(request, response);
	}

	@Override
	public void removeRequest(HttpServletRequest request, HttpServletResponse response) {
		cache().removeRequest(request, response);
	}

	private RequestCache cache() {
		return RealmContext.current()
			.<RequestCache>map((realm) -> this.caches.computeIfAbsent(realm.name(), (name) -> {
				HttpSessionRequestCache cache = new HttpSessionRequestCache();
				cache.setSessionAttrName("hitotsu.saved-request." + name);
				// the login page itself finds the saved request; no "?continue" marker needed
				cache.setMatchingRequestParameterName(null);
				return cache;
			}))
			.orElse(this.none);
	}

}
