package jp.hitotsu.oidc;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.federation.AssuranceRaising;
import jp.hitotsu.account.Identity;
import jp.hitotsu.login.LoginFlow;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.login.RealmRequestCache;
import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Decides, before the authorization endpoint, whether the browser's login is good enough
 * for this request: the level the realm, the client ({@code minimum-level}) and the
 * request ({@code acr_values}) ask for, its age ({@code max_age}) and
 * {@code prompt=login}. A login below the level is raised by asking only for the missing
 * factor (step-up); one too old, or a request for a fresh login, asks for the login
 * again. The authorization server itself handles neither.
 *
 * <p>
 * It also refuses, before any login, an authorization request of a client that must push
 * its requests (PAR, RFC 9126, {@code require-pushed-authorization-requests}) but sent
 * them in the query instead of a {@code request_uri}.
 */
class AuthorizationRequestGate extends OncePerRequestFilter {

	private final LoginFlow flow;

	private final RealmLogins logins;

	private final RealmClientRepository clients;

	private final RealmRequestCache requestCache;

	private final AccountService accounts;

	private final Clock clock;

	private final RedirectStrategy redirects = new DefaultRedirectStrategy();

	private final OAuth2ErrorHttpMessageConverter errors = new OAuth2ErrorHttpMessageConverter();

	private final AssuranceRaising raising;

	AuthorizationRequestGate(LoginFlow flow, RealmLogins logins, RealmClientRepository clients,
			RealmRequestCache requestCache, AccountService accounts, AssuranceRaising raising, Clock clock) {
		this.flow = flow;
		this.raising = raising;
		this.accounts = accounts;
		this.logins = logins;
		this.clients = clients;
		this.requestCache = requestCache;
		this.clock = clock;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().endsWith("/oauth2/authorize") || RealmContext.current().isEmpty();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Realm realm = RealmContext.require();
		if (notPushed(request, realm)) {
			ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
			answer.setStatusCode(HttpStatus.BAD_REQUEST);
			this.errors.write(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, "Client '"
					+ request.getParameter("client_id") + "' of realm '" + realm.name()
					+ "' must push its authorization requests (PAR, RFC 9126): POST them to " + realm.issuerPath()
					+ "/oauth2/par and send only client_id and the request_uri it returns here", null), null, answer);
			return;
		}
		AssuranceLevel required = requiredLevel(request, realm);
		List<String> prompts = spaceSeparated(request.getParameter("prompt"));
		if (prompts.contains("none")) {
			// no interaction allowed: the authorization server answers login_required, or
			// issues at the level reached, which the ID token's acr tells the client
			chain.doFilter(request, response);
			return;
		}
		Optional<RealmAuthentication> login = this.logins.current(request, realm);
		if (login.isEmpty()) {
			// for the login the authorization endpoint is about to send the browser to
			this.flow.require(request, realm, required);
		}
		else {
			if (prompts.contains("login") || tooOld(login.get(), request.getParameter("max_age"))) {
				this.flow.require(request, realm, required);
				// saved without prompt=login, or the login that follows would be asked again
				this.requestCache.saveRequest(withoutPromptLogin(request, prompts), response);
				this.redirects.sendRedirect(request, response, this.flow.reauthenticate(request, realm, login.get()));
				return;
			}
			if (!login.get().level().atLeast(required)) {
				this.requestCache.saveRequest(request, response);
				this.redirects.sendRedirect(request, response, this.flow.stepUp(request, realm, login.get(), required));
				return;
			}
			int minimumIal = minimumIal(request, realm);
			// the account's level is read only for a client that asks: this is every authorization request
			if (minimumIal > 1 && this.accounts.assurance(realm.name(), login.get().getName())
				.map(AccountService.Assurance::ial)
				.orElse(1) < minimumIal) {
				// the person proves more at an upstream provider, and this request goes on
				this.requestCache.saveRequest(request, response);
				this.redirects.sendRedirect(request, response,
						this.raising.path(realm, request.getParameter("client_id"), minimumIal));
				return;
			}
			if (emailUnverified(request, realm, login.get())) {
				// no code: the person proves the address first, then this request goes on
				this.requestCache.saveRequest(request, response);
				this.redirects.sendRedirect(request, response, "/realms/" + realm.name() + "/register/unverified");
				return;
			}
		}
		chain.doFilter(request, response);
	}

	/**
	 * The realm's level, raised by the client's minimum and by the first {@code acr_values}
	 * entry this realm knows (the client's preferred one).
	 */
	private AssuranceLevel requiredLevel(HttpServletRequest request, Realm realm) {
		AssuranceLevel level = realm.login().level();
		String clientId = request.getParameter("client_id");
		if (clientId != null) {
			level = this.clients.definition(realm.name(), clientId)
				.map(ClientDefinition::minimumLevel)
				.map((minimum) -> AssuranceLevel.max(minimum, realm.login().level()))
				.orElse(level);
		}
		for (String acr : spaceSeparated(request.getParameter("acr_values"))) {
			Optional<AssuranceLevel> asked = realm.login().levelOf(acr);
			if (asked.isPresent()) {
				return AssuranceLevel.max(level, asked.get());
			}
		}
		return level;
	}

	/**
	 * An authorization request (not the consent form's answer, which has no
	 * {@code response_type}) without {@code request_uri} of a client that requires PAR.
	 */
	private boolean notPushed(HttpServletRequest request, Realm realm) {
		String clientId = request.getParameter("client_id");
		return clientId != null && request.getParameter("response_type") != null
				&& request.getParameter("request_uri") == null
				&& this.clients.definition(realm.name(), clientId)
					.map(ClientDefinition::requirePushedAuthorizationRequests)
					.orElse(false);
	}

	/** The identity assurance level the request's client needs (1 when it names none). */
	private int minimumIal(HttpServletRequest request, Realm realm) {
		String clientId = request.getParameter("client_id");
		return (clientId == null) ? 1
				: this.clients.definition(realm.name(), clientId).map(ClientDefinition::minimumIal).orElse(1);
	}

	/** Whether the client needs a verified e-mail address that the logged-in account has not proven. */
	private boolean emailUnverified(HttpServletRequest request, Realm realm, RealmAuthentication login) {
		String clientId = request.getParameter("client_id");
		boolean required = clientId != null && this.clients.definition(realm.name(), clientId)
			.map(ClientDefinition::requireVerifiedEmail)
			.orElse(false);
		return required && !this.accounts.find(realm.name(), login.getName()).map(Identity::emailVerified).orElse(false);
	}

	private boolean tooOld(RealmAuthentication login, String maxAge) {
		if (maxAge == null || !maxAge.matches("\\d{1,9}")) {
			return false;
		}
		return login.authTime().plus(Duration.ofSeconds(Long.parseLong(maxAge))).isBefore(this.clock.instant());
	}

	private static List<String> spaceSeparated(String value) {
		return (value == null) ? List.of() : Arrays.stream(value.trim().split("\\s+")).filter((s) -> !s.isEmpty()).toList();
	}

	/** The same request without {@code prompt=login}, for resuming after the new login. */
	private static HttpServletRequest withoutPromptLogin(HttpServletRequest request, List<String> prompts) {
		List<String> others = prompts.stream().filter((prompt) -> !prompt.equals("login")).toList();
		return others.isEmpty() ? RequestWithParameters.withoutQueryParameter(request, "prompt")
				: RequestWithParameters.withQueryParameter(request, "prompt", String.join(" ", others));
	}

}
