package jp.hitotsu.web;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id that follows it through the logs, the audit trail and back to
 * the caller: the {@value #HEADER} the caller (or a proxy in front) sent when it is
 * well-formed, else a new one. It is in the logging MDC under {@value #MDC_KEY} for every
 * line logged while the request runs (the JSON log formats write it as a field), in the
 * response header of the same name, and in the audit events the request records.
 */
@Component
// first of all, so that even a request refused by an early filter carries its id
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIds extends OncePerRequestFilter {

	public static final String HEADER = "X-Request-Id";

	public static final String MDC_KEY = "requestId";

	/**
	 * What is taken from a caller: short, and only characters that cannot forge a log line
	 * or a header (no spaces, quotes or control characters). UUIDs and the ids of common
	 * proxies and load balancers fit.
	 */
	private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:+/=-]{1,64}");

	private static final String ATTRIBUTE = RequestIds.class.getName();

	/** The id of the request this thread is serving, if any. */
	public static Optional<String> current() {
		return Optional.ofNullable(MDC.get(MDC_KEY));
	}

	/** The error page is rendered in a dispatch of its own after the request's filters ran: it keeps the id. */
	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = (request.getAttribute(ATTRIBUTE) instanceof String known) ? known : accept(request.getHeader(HEADER));
		request.setAttribute(ATTRIBUTE, id);
		response.setHeader(HEADER, id);
		String outer = MDC.get(MDC_KEY);
		MDC.put(MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (outer != null) {
				MDC.put(MDC_KEY, outer);
			}
			else {
				MDC.remove(MDC_KEY);
			}
		}
	}

	static String accept(String sent) {
		return (sent != null && WELL_FORMED.matcher(sent).matches()) ? sent : UUID.randomUUID().toString();
	}

}
