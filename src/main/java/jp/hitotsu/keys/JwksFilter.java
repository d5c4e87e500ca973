package jp.hitotsu.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.RealmContext;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves a realm's JWKS from memory: the document is prepared when the keys are loaded
 * (and again after a rotation), so every relying party's key fetch costs a map lookup and
 * a write, no filter chain, no serialisation. It answers before Spring Security, which
 * would add nothing to a public, read-only document.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class JwksFilter extends OncePerRequestFilter {

	private static final Pattern JWKS_PATH = Pattern.compile("/realms/[^/]+/oauth2/jwks");

	private final SigningKeyService keys;

	JwksFilter(SigningKeyService keys) {
		this.keys = keys;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"GET".equals(request.getMethod()) || RealmContext.current().isEmpty()
				|| !JWKS_PATH.matcher(request.getRequestURI()).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] body = this.keys.publishedJson(RealmContext.require().name()).getBytes(StandardCharsets.UTF_8);
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setHeader("Cache-Control", "public, max-age=60");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
