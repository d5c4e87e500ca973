package jp.hitotsu.admin;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Lets an admin API call through only when the caller's roles allow the handler's
 * {@link AdminOperation} in the realm named in the path, and hands the handler the
 * {@link Administrator} (request attribute {@link #ADMINISTRATOR}). Runs before the
 * handler's arguments are read, so a caller without the right learns nothing about the
 * realm or the account asked for.
 */
@Component
class AdminAuthorization implements HandlerInterceptor {

	static final String ADMINISTRATOR = "jp.hitotsu.admin.administrator";

	private final AdminProperties properties;

	AdminAuthorization(AdminProperties properties) {
		this.properties = properties;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			// no admin handler for this path: it answers 404 on its own
			return true;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !(authentication.getPrincipal() instanceof Jwt token)) {
			throw new IllegalStateException("The admin API security chain let an unauthenticated call through");
		}
		Administrator administrator = Administrator.of(token, this.properties.realm());
		AdminOperation operation = method.getMethodAnnotation(AdminOperation.class);
		String realm = realmOf(request);
		if (realm == null && operation != null && operation.value() == AdminPermission.READ_REALM) {
			// the list of realms names no realm: every administrator may ask, and it shows
			// only the realms their roles reach
			request.setAttribute(ADMINISTRATOR, administrator);
			return true;
		}
		if (operation == null || realm == null || !administrator.may(operation.value(), realm)) {
			throw new AdminAccessDeniedException(realm);
		}
		request.setAttribute(ADMINISTRATOR, administrator);
		return true;
	}

	@SuppressWarnings("unchecked")
	static String realmOf(HttpServletRequest request) {
		Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		return (variables instanceof Map<?, ?> map) ? ((Map<String, String>) map).get("realm") : null;
	}

	/** The caller's roles do not allow the operation in that realm. */
	static class AdminAccessDeniedException extends RuntimeException {

		private final String realm;

		AdminAccessDeniedException(String realm) {
			super("The caller's admin roles do not allow this operation in realm '" + realm + "'");
			this.realm = realm;
		}

		String realm() {
			return this.realm;
		}

	}

}
