package jp.hitotsu.realm;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.web.ErrorResponses;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Binds the realm named in the path to the request, before anything else sees it. The
 * authorization server accepts any path prefix as an issuer, so an unknown realm (or a
 * realm of another zone) must be refused here with a 404, never reach it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RealmResolutionFilter extends OncePerRequestFilter {

	/** {@code /realms/{name}/...} and RFC 8414 metadata {@code /.well-known/.../realms/{name}}. */
	private static final Pattern REALM_PATH = Pattern
		.compile("^(?:/\\.well-known/[^/]+)?/realms/([^/]*)(?:/.*)?$");

	private final RealmRegistry registry;

	private final ErrorResponses errors;

	RealmResolutionFilter(RealmRegistry registry, ErrorResponses errors) {
		this.registry = registry;
		this.errors = errors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Matcher matcher = REALM_PATH.matcher(request.getRequestURI().substring(request.getContextPath().length()));
		if (!matcher.matches()) {
			chain.doFilter(request, response);
			return;
		}
		String name = matcher.group(1);
		Optional<Realm> realm = this.registry.find(name);
		if (realm.isEmpty()) {
			this.errors.notFound(request, response, "realm.unknown", "No realm '" + name + "' is served here", name);
			return;
		}
		Realm previous = RealmContext.current().orElse(null);
		RealmContext.set(realm.get());
		try {
			chain.doFilter(request, response);
		}
		finally {
			RealmContext.restore(previous);
		}
	}

}
