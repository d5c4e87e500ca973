package jp.hitotsu.oidc;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.realm.RealmRule;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The resource side of DPoP (RFC 9449) at a realm's own resource endpoint (UserInfo), after
 * Spring Security authenticated the access token ({@code Authorization: Bearer}) or the
 * token and its proof ({@code Authorization: DPoP} and a {@code DPoP} header: signature,
 * {@code htm}, {@code htu}, {@code iat}, {@code ath}, key matching {@code cnf.jkt}). Spring
 * already refuses a bound token presented as a bearer token, but remembers used proofs per
 * process only; here
 * <ul>
 * <li>a realm held to {@code sender-constrained-tokens} refuses any bearer presentation, so
 * that a token issued before the realm took the rule is not honoured either;</li>
 * <li>a proof already used at any replica is refused.</li>
 * </ul>
 */
class DPoPResourceFilter extends OncePerRequestFilter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DPoPProofs proofs;

	DPoPResourceFilter(DPoPProofs proofs) {
		this.proofs = proofs;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (!(authentication instanceof JwtAuthenticationToken)) {
			chain.doFilter(request, response);
			return;
		}
		Realm realm = RealmContext.require();
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		boolean dpop = authorization != null
				&& StringUtils.startsWithIgnoreCase(authorization, OAuth2AccessToken.TokenType.DPOP.getValue() + " ");
		if (dpop && !this.proofs.firstUseAtResource(realm.name(),
				request.getHeader(OAuth2AccessToken.TokenType.DPOP.getValue()))) {
			refuse(response, DPoPProofs.replayed());
			return;
		}
		if (!dpop && realm.senderConstrainedTokens()) {
			refuse(response, new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "Realm " + realm.name()
					+ " accepts only sender-constrained access tokens (rule '" + RealmRule.SENDER_CONSTRAINED_TOKENS.id()
					+ "'): get a DPoP-bound token and present it as Authorization: DPoP with a DPoP proof", null));
			return;
		}
		chain.doFilter(request, response);
	}

	private static void refuse(HttpServletResponse response, OAuth2Error error)
			throws IOException {
		SecurityContextHolder.clearContext();
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		// descriptions are fixed sentences without quotes, so they sit in the header as they are
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "DPoP error=\"" + error.getErrorCode()
				+ "\", error_description=\"" + error.getDescription() + "\"");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", error.getErrorCode());
		body.put("error_description", error.getDescription());
		JSON.writeValue(response.getOutputStream(), body);
	}

}
