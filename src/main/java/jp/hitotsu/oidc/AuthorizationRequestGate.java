package jp.hitotsu.oidc;

import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
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
 * them in the query instead of a {@code request_uri}. A pushed request is judged by what
 * was pushed: its query holds only {@code client_id} and {@code request_uri}, and RFC 9126
 * has the server use the pushed parameters alone.
 */
class AuthorizationRequestGate extends OncePerRequestFilter {

	private final LoginFlow flow;

	private final RealmLogins logins;

	private final RealmClientRepository clients;

	private final RealmRequestCache requestCache;

	private final AccountService accounts;

	private final Clock clock;

	/** RFC 9126's prefix, which Spring's authorization server gives every request_uri. */
	private static final String PUSHED_REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

	private static final OAuth2TokenType PUSHED_STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

	private static final String REAUTHENTICATED_ATTRIBUTE = AuthorizationRequestGate.class.getName()
			+ ".reauthenticated.";

	private final RedirectStrategy redirects = new DefaultRedirectStrategy();

	private final OAuth2ErrorHttpMessageConverter errors = new OAuth2ErrorHttpMessageConverter();

	private final AssuranceRaising raising;

	private final OAuth2AuthorizationService authorizations;

	AuthorizationRequestGate(LoginFlow flow, RealmLogins logins, RealmClientRepository clients,
			RealmRequestCache requestCache, AccountService accounts, AssuranceRaising raising,
			OAuth2AuthorizationService authorizations, Clock clock) {
		this.flow = flow;
		this.authorizations = authorizations;
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
		Parameters parameters = parameters(request);
		AssuranceLevel required = requiredLevel(request, parameters, realm);
		List<String> prompts = spaceSeparated(parameters.get("prompt"));
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
			if (prompts.contains("login")) {
				// the authorization server saves this request as it is, prompt=login included
				loginAsked(request, parameters, realm);
			}
		}
		else {
			boolean freshLoginAsked = prompts.contains("login")
					&& !reauthenticated(request, parameters, realm, login.get());
			if (freshLoginAsked || tooOld(login.get(), parameters.get("max_age"))) {
				this.flow.require(request, realm, required);
				if (parameters.pushed()) {
					loginAsked(request, parameters, realm);
					this.requestCache.saveRequest(request, response);
				}
				else {
					// saved without prompt=login, or the login that follows would be asked again
					this.requestCache.saveRequest(withoutPromptLogin(request, prompts), response);
				}
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
	private AssuranceLevel requiredLevel(HttpServletRequest request, Parameters parameters, Realm realm) {
		AssuranceLevel level = realm.login().level();
		String clientId = request.getParameter("client_id");
		if (clientId != null) {
			level = this.clients.definition(realm.name(), clientId)
				.map(ClientDefinition::minimumLevel)
				.map((minimum) -> AssuranceLevel.max(minimum, realm.login().level()))
				.orElse(level);
		}
		for (String acr : spaceSeparated(parameters.get("acr_values"))) {
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

	/**
	 * The parameters that decide the login: the query's, or those pushed under the
	 * request's {@code request_uri} for the same client. A {@code request_uri} that names no
	 * pushed request of that client is the authorization server's to refuse; until then the
	 * query counts.
	 */
	private Parameters parameters(HttpServletRequest request) {
		String requestUri = request.getParameter(OAuth2ParameterNames.REQUEST_URI);
		if (requestUri == null || !requestUri.startsWith(PUSHED_REQUEST_URI_PREFIX)) {
			return new Parameters(request::getParameter, null);
		}
		// Spring's authorization server keeps a pushed request under the state its request_uri carries
		OAuth2Authorization pushed = this.authorizations
			.findByToken(requestUri.substring(PUSHED_REQUEST_URI_PREFIX.length()), PUSHED_STATE);
		OAuth2AuthorizationRequest pushedRequest = (pushed != null)
				? pushed.getAttribute(OAuth2AuthorizationRequest.class.getName()) : null;
		if (pushedRequest == null || !pushedRequest.getClientId().equals(request.getParameter("client_id"))) {
			return new Parameters(request::getParameter, null);
		}
		Map<String, Object> additional = pushedRequest.getAdditionalParameters();
		return new Parameters((name) -> first(additional.get(name)), requestUri);
	}

	/** A parameter's (first) value as Spring keeps it: a string, or an array when repeated. */
	private static String first(Object value) {
		if (value instanceof String[] values) {
			return (values.length > 0) ? values[0] : null;
		}
		return (value instanceof String string) ? string : null;
	}

	/**
	 * Remembers a {@code prompt=login} that stays in the request resumed after the login (a
	 * pushed one, or one the authorization server saved for a browser without a login): the
	 * login that follows answers it (see {@link #reauthenticated}).
	 */
	private void loginAsked(HttpServletRequest request, Parameters parameters, Realm realm) {
		request.getSession()
			.setAttribute(REAUTHENTICATED_ATTRIBUTE + realm.name(),
					new Reauthentication(parameters.key(request), this.clock.instant()));
	}

	/**
	 * Whether this request's {@code prompt=login} was answered by a login after this gate
	 * asked for it; the answer counts once.
	 */
	private boolean reauthenticated(HttpServletRequest request, Parameters parameters, Realm realm,
			RealmAuthentication login) {
		if (request.getSession(false) == null) {
			return false;
		}
		String attribute = REAUTHENTICATED_ATTRIBUTE + realm.name();
		if (request.getSession().getAttribute(attribute) instanceof Reauthentication asked
				&& asked.request().equals(parameters.key(request)) && !login.authTime().isBefore(asked.at())) {
			request.getSession().removeAttribute(attribute);
			return true;
		}
		return false;
	}

	/** The parameters of an authorization request, and the {@code request_uri} they were pushed under. */
	private record Parameters(Function<String, String> values, String requestUri) {

		String get(String name) {
			return this.values.apply(name);
		}

		boolean pushed() {
			return this.requestUri != null;
		}

		/** What names this request when it comes again: its request_uri, or its whole query. */
		String key(HttpServletRequest request) {
			return pushed() ? this.requestUri : String.valueOf(request.getQueryString());
		}

	}

	/** A fresh login asked by a request ({@link Parameters#key}), and when. */
	private record Reauthentication(String request, Instant at) implements Serializable {
	}

	/** The same request without {@code prompt=login}, for resuming after the new login. */
	private static HttpServletRequest withoutPromptLogin(HttpServletRequest request, List<String> prompts) {
		List<String> others = prompts.stream().filter((prompt) -> !prompt.equals("login")).toList();
		return others.isEmpty() ? RequestWithParameters.withoutQueryParameter(request, "prompt")
				: RequestWithParameters.withQueryParameter(request, "prompt", String.join(" ", others));
	}

}
