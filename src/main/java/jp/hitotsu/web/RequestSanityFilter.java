package jp.hitotsu.web;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses malformed parameters with a 400 before any endpoint parses them: bytes that are
 * not UTF-8 (and a NUL on the admin paths), a parameter given twice (OAuth 2 forbids it, and form binding would silently
 * join the values), too many or too long values.
 */
@Component
// after Spring Boot's character encoding filter, so that parameters are decoded as UTF-8
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestSanityFilter extends OncePerRequestFilter {

	/** Tomcat sets this when it could not decode the query or form body. */
	private static final String TOMCAT_PARSE_FAILED = "org.apache.catalina.parameter_parse_failed";

	/** Parameters that standards allow to repeat (RFC 8707 resource indicators). */
	private static final Set<String> REPEATABLE = Set.of("resource");

	/**
	 * The consent form posts one {@code scope} per approved scope to the authorization
	 * endpoint, or for a device (RFC 8628) to the realm's device page.
	 */
	private static final Pattern CONSENT_POST = Pattern.compile("/realms/[^/]+/(oauth2/authorize|connect-device)");

	/** The admin API and the admin console. */
	private static final String ADMIN_PATHS = "/admin";

	private final HttpLimitsProperties limits;

	private final ErrorResponses errors;

	RequestSanityFilter(HttpLimitsProperties limits, ErrorResponses errors) {
		this.limits = limits;
		this.errors = errors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getCharacterEncoding() == null) {
			request.setCharacterEncoding("UTF-8");
		}
		Map<String, String[]> parameters;
		try {
			parameters = request.getParameterMap();
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			this.errors.badRequest(request, response, "request.malformed", "The request parameters cannot be read");
			return;
		}
		if (request.getAttribute(TOMCAT_PARSE_FAILED) != null) {
			this.errors.badRequest(request, response, "request.malformed",
					"The request parameters are not valid UTF-8 or are malformed");
			return;
		}
		if (parameters.size() > this.limits.maxParameters()) {
			this.errors.badRequest(request, response, "request.too-many", "The request has more than "
					+ this.limits.maxParameters() + " parameters", this.limits.maxParameters());
			return;
		}
		boolean adminPath = request.getRequestURI().startsWith(ADMIN_PATHS);
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			String name = parameter.getKey();
			if (parameter.getValue().length > 1 && !REPEATABLE.contains(name) && !isConsentScope(request, name)) {
				this.errors.badRequest(request, response, "request.repeated", "Parameter '" + name + "' is repeated",
						name);
				return;
			}
			for (String value : parameter.getValue()) {
				if (value.length() > this.limits.maxParameterLength() || name.length() > 256) {
					this.errors.badRequest(request, response, "request.too-long", "Parameter '" + abbreviate(name)
							+ "' is longer than " + this.limits.maxParameterLength() + " characters", abbreviate(name),
							this.limits.maxParameterLength());
					return;
				}
				if (value.indexOf('\uFFFD') >= 0 || name.indexOf('\uFFFD') >= 0 || (adminPath && hasNul(name, value))) {
					this.errors.badRequest(request, response, "request.malformed",
							"The request parameters are not valid UTF-8 or are malformed");
					return;
				}
			}
		}
		chain.doFilter(request, response);
	}

	private static boolean isConsentScope(HttpServletRequest request, String name) {
		return "scope".equals(name) && "POST".equals(request.getMethod())
				&& CONSENT_POST.matcher(request.getRequestURI()).matches();
	}

	/**
	 * A NUL, which PostgreSQL text cannot hold: the admin API and console pass what is typed
	 * to their queries (a search for it answered 500). The login page takes it as the unknown
	 * user it is, which tells a prober nothing, so realm pages are left to answer it themselves.
	 */
	private static boolean hasNul(String name, String value) {
		return name.indexOf('\u0000') >= 0 || value.indexOf('\u0000') >= 0;
	}

	private static String abbreviate(String name) {
		return (name.length() > 40) ? name.substring(0, 40) + "…" : name;
	}

}
