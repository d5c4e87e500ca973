package jp.hitotsu.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page template needs: its own path, for the language switch links, and the
 * realm the page belongs to (its name in the header), when it belongs to one.
 */
@ControllerAdvice
class PageModelAdvice {

	/**
	 * The path the browser asked for; on an error page that is the failed request's path,
	 * not {@code /error}, so switching language shows the same error again.
	 */
	@ModelAttribute("currentPath")
	String currentPath(HttpServletRequest request) {
		Object failedPath = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		return (failedPath instanceof String path) ? path : request.getRequestURI();
	}

	@ModelAttribute("realm")
	Realm realm() {
		return RealmContext.current().orElse(null);
	}

}
