package jp.hitotsu.oidc;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Serves discovery and RFC 8414 metadata from memory after the authorization server built
 * them once. The documents depend only on the realm and on the base URL the client used
 * (the issuer), so that URL is the key; the number of keys is bounded because the Host
 * header is the client's to choose. A document built with other realm settings than the
 * current ones (another replica stored a changed realm), or from other clients (scopes,
 * verified_claims: a client registered or removed), is built again.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class MetadataCacheFilter extends OncePerRequestFilter {

	private static final Pattern METADATA_PATH = Pattern.compile(
			"/realms/[^/]+/\\.well-known/openid-configuration|/\\.well-known/oauth-authorization-server/realms/[^/]+");

	private static final int MAX_ENTRIES = 256;

	private final Map<String, Document> documents = new ConcurrentHashMap<>();

	private final RealmClientRepository clients;

	MetadataCacheFilter(RealmClientRepository clients) {
		this.clients = clients;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"GET".equals(request.getMethod()) || RealmContext.current().isEmpty() || request.getQueryString() != null
				|| !METADATA_PATH.matcher(request.getRequestURI()).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getRequestURL().toString();
		Realm realm = RealmContext.require();
		Document document = this.documents.get(key);
		Object clients = clientsOr(realm, (document != null) ? document.clients() : null);
		byte[] cached = (document != null && document.realm() == realm && document.clients() == clients)
				? document.body() : null;
		if (cached != null) {
			response.setStatus(HttpServletResponse.SC_OK);
			response.setContentType("application/json");
			response.setHeader("X-Content-Type-Options", "nosniff");
			response.setContentLength(cached.length);
			response.getOutputStream().write(cached);
			return;
		}
		ContentCachingResponseWrapper capture = new ContentCachingResponseWrapper(response);
		chain.doFilter(request, capture);
		if (capture.getStatus() == HttpServletResponse.SC_OK
				&& (this.documents.size() < MAX_ENTRIES || this.documents.containsKey(key))) {
			this.documents.put(key, new Document(realm, clients, capture.getContentAsByteArray()));
		}
		capture.copyBodyToResponse();
	}

	/**
	 * The realm's clients as now held; while the database cannot be read to refresh them,
	 * those the cached document was built with, so that discovery keeps answering from
	 * memory as the JWKS does.
	 */
	private Object clientsOr(Realm realm, Object built) {
		try {
			return this.clients.clientsSnapshot(realm.name());
		}
		catch (DataAccessException ex) {
			if (built == null) {
				throw ex;
			}
			return built;
		}
	}

	/** A document and the realm settings and clients it was built with. */
	private record Document(Realm realm, Object clients, byte[] body) {
	}

}
