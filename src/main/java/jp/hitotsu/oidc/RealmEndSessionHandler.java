package jp.hitotsu.oidc;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Completes RP-initiated logout: ends the login to this realm only (the browser session
 * and other realms' logins stay), then returns to the client's post-logout URI, which the
 * authorization server has checked against the registered ones, through the page of the
 * session's front-channel logout frames when there are some.
 */
@Component
class RealmEndSessionHandler implements AuthenticationSuccessHandler {

	private final RealmLogins logins;

	private final RedirectStrategy redirects = new DefaultRedirectStrategy();

	RealmEndSessionHandler(RealmLogins logins) {
		this.logins = logins;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		OidcLogoutAuthenticationToken logout = (OidcLogoutAuthenticationToken) authentication;
		Realm realm = RealmContext.require();
		this.logins.end(request, realm);
		String target = "/realms/" + realm.name() + "/login?logged_out";
		if (StringUtils.hasText(logout.getPostLogoutRedirectUri())) {
			target = UriComponentsBuilder.fromUriString(logout.getPostLogoutRedirectUri())
				.queryParamIfPresent("state", java.util.Optional.ofNullable(logout.getState()).filter(StringUtils::hasText)
					.map((state) -> "{state}"))
				.encode()
				.buildAndExpand(java.util.Collections.singletonMap("state", logout.getState()))
				.toUriString();
		}
		// the clients' front-channel logout frames first, when the session had some
		this.redirects.sendRedirect(request, response, this.logins.afterLogout(request, realm, target));
	}

}
