package jp.hitotsu.web;

import java.io.IOException;
import java.util.Collections;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.database.DatabaseOutages;
import jp.hitotsu.database.DatabaseProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request that failed because PostgreSQL is unreachable is answered 503 with
 * {@code Retry-After}, in the form its caller reads (OAuth error JSON, an RFC 9457 problem
 * on the admin API, a page in the browser's language; see {@link HitotsuErrorController}),
 * rather than 500. It sits outside everything that may touch the database (the session
 * repository, the security filter chains, the endpoints), so a failure anywhere in them
 * reaches it, however they wrapped it. What needs no database (JWKS, discovery, verifying
 * tokens) goes on from memory and never gets here.
 */
@Component
// after the request id and the parameter checks, before Spring Session and Spring Security
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class DatabaseOutageFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseOutageFilter.class);

	private final ErrorResponses errors;

	private final DatabaseProperties database;

	DatabaseOutageFilter(ErrorResponses errors, DatabaseProperties database) {
		this.errors = errors;
		this.database = database;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | IOException | RuntimeException ex) {
			if (!DatabaseOutages.causedBy(ex) || response.isCommitted()) {
				throw ex;
			}
			logger.warn("{} {} answered 503: the database is unreachable ({})", request.getMethod(),
					request.getRequestURI(), rootMessage(ex));
			forgetSession(request);
			this.errors.unavailable(request, response, this.database.retryAfter(), "database.unavailable",
					"The service is temporarily unavailable; try again in a moment");
		}
	}

	/**
	 * Drops the browser session this request opened or changed, which could not be saved,
	 * and the CSRF token that would open one: otherwise the error page, rendered in a
	 * dispatch of its own, would save a session again and wait for the database twice more.
	 * The error page has no form, and the browser keeps the session it had.
	 */
	private static void forgetSession(HttpServletRequest request) {
		for (String name : Collections.list(request.getAttributeNames())) {
			if (name.startsWith(SessionRepositoryFilter.SESSION_REPOSITORY_ATTR) || name.equals("_csrf")
					|| name.equals(CsrfToken.class.getName())) {
				request.removeAttribute(name);
			}
		}
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
