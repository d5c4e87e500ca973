package jp.hitotsu.oidc;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In a realm held to {@code full-audit}, every call of the token endpoint (as
 * {@code TOKEN_ISSUED} or, for the refresh grant, {@code TOKEN_REFRESHED}), of UserInfo and
 * of introspection is written to the audit trail once answered, with the client, the subject
 * where there is one, and the outcome. Logins, their failures and admin changes are audited
 * in every realm where they happen. A call refused before this filter (a client that failed
 * to authenticate) is answered by the client authentication filter and not recorded here.
 */
class FullAuditFilter extends OncePerRequestFilter {

	private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

	private static final RequestMatcher TOKEN = PATHS.matcher("/realms/*/oauth2/token");

	private static final RequestMatcher USERINFO = PATHS.matcher("/realms/*/userinfo");

	private static final RequestMatcher INTROSPECTION = PATHS.matcher("/realms/*/oauth2/introspect");

	private final AuditTrail audit;

	FullAuditFilter(AuditTrail audit) {
		this.audit = audit;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(request, response);
		Realm realm = RealmContext.current().orElse(null);
		AuditEventType type = typeOf(request);
		if (realm == null || !realm.fullAudit() || type == null) {
			return;
		}
		AuditEvent.Builder event = AuditEvent.of(realm.name(), type)
			.ipAddress(request.getRemoteAddr())
			.detail("status", response.getStatus());
		if (response.getStatus() >= 400) {
			event.failure();
		}
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		if (caller instanceof OAuth2ClientAuthenticationToken client && client.getRegisteredClient() != null) {
			event.client(client.getRegisteredClient().getClientId());
		}
		if (caller instanceof JwtAuthenticationToken token) {
			event.subject(token.getToken().getSubject()).client(token.getToken().getClaimAsString("client_id"));
		}
		if (TOKEN.matches(request)) {
			event.detail(OAuth2ParameterNames.GRANT_TYPE,
					String.valueOf(request.getParameter(OAuth2ParameterNames.GRANT_TYPE)));
		}
		this.audit.record(event.build());
	}

	private static AuditEventType typeOf(HttpServletRequest request) {
		if (TOKEN.matches(request)) {
			return AuthorizationGrantType.REFRESH_TOKEN.getValue()
				.equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE)) ? AuditEventType.TOKEN_REFRESHED
						: AuditEventType.TOKEN_ISSUED;
		}
		if (USERINFO.matches(request)) {
			return AuditEventType.USERINFO;
		}
		return INTROSPECTION.matches(request) ? AuditEventType.INTROSPECTION : null;
	}

}
