package jp.hitotsu.console;

import java.net.URI;
import java.util.Map;

import jp.hitotsu.admin.AdminProperties;
import jp.hitotsu.login.PageSecurityConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.util.function.SingletonSupplier;

/**
 * The admin console's pages are an OIDC client of the admin realm: an administrator logs
 * in there (authorization code + PKCE, with the realm's second factor), and every page
 * calls the admin API with their access token ({@link AdminApi}), so the console can do
 * nothing the API would not let that person do.
 *
 * <p>The browser goes to the realm's authorization endpoint on the host it is using; the
 * console redeems the code and reads the keys over loopback
 * ({@link ConsoleProperties#serverUrl()}), so the tokens it holds name the loopback issuer,
 * which is also where it presents them. They stay in the server-side session: the browser
 * only ever holds the session cookie.
 *
 * <p>The console keeps its login under its own session attribute, apart from the realm
 * logins of the same browser, and its forms carry a CSRF token (the cookie is what an
 * attacker's page would ride on).
 */
@ConsoleServed
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

	private static final Logger LOGGER = LoggerFactory.getLogger(ConsoleSecurityConfiguration.class);

	static final String REGISTRATION_ID = "hitotsu";

	static final String LOGIN_PATH = "/admin/login";

	static final String CALLBACK_PATH = "/admin/callback";

	private static final String CONTEXT_ATTRIBUTE = "jp.hitotsu.admin.console.CONTEXT";

	private static final String SAVED_REQUEST_ATTRIBUTE = "jp.hitotsu.admin.console.SAVED_REQUEST";

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 2)
	SecurityFilterChain adminConsoleSecurityFilterChain(HttpSecurity http,
			ClientRegistrationRepository consoleRegistrations) throws Exception {
		HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
		contexts.setSpringSecurityContextKey(CONTEXT_ATTRIBUTE);
		HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
		requestCache.setSessionAttrName(SAVED_REQUEST_ATTRIBUTE);
		// back to the page asked for as it was asked, without Spring's "?continue" marker
		requestCache.setMatchingRequestParameterName(null);
		OidcClientInitiatedLogoutSuccessHandler logoutSuccess = new OidcClientInitiatedLogoutSuccessHandler(
				consoleRegistrations);
		// no post_logout_redirect_uri: the realm checks it word for word, and the loopback one of
		// a default run has no fixed port; the realm's own page says the person has logged out
		http.securityMatcher("/admin", "/admin/**")
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers("/admin/logged-out", LOGIN_PATH + "/**", CALLBACK_PATH)
				.permitAll()
				.anyRequest()
				.authenticated())
			.securityContext((context) -> context.securityContextRepository(contexts))
			.requestCache((cache) -> cache.requestCache(requestCache))
			.oauth2Login((login) -> login.clientRegistrationRepository(consoleRegistrations)
				.authorizationEndpoint((endpoint) -> endpoint.baseUri(LOGIN_PATH))
				.redirectionEndpoint((endpoint) -> endpoint.baseUri(CALLBACK_PATH))
				.loginProcessingUrl(CALLBACK_PATH)
				.failureHandler(loginFailed()))
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(LOGIN_PATH + "/" + REGISTRATION_ID)))
			.logout((logout) -> logout.logoutUrl("/admin/logout").logoutSuccessHandler(logoutSuccess))
			.headers((headers) -> headers
				.contentSecurityPolicy((csp) -> csp.policyDirectives(PageSecurityConfiguration.CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
		return http.build();
	}

	/**
	 * A failed console login (a refused token, a wrong state) is logged for the operator with
	 * the reason, and the browser gets a page saying so.
	 */
	private static AuthenticationFailureHandler loginFailed() {
		SimpleUrlAuthenticationFailureHandler page = new SimpleUrlAuthenticationFailureHandler("/admin/logged-out?failed");
		return (request, response, failure) -> {
			LOGGER.warn("An admin console login failed: {}", failure.getMessage());
			page.onAuthenticationFailure(request, response, failure);
		};
	}

	/**
	 * The console's one registration, built at its first use: by then the server listens
	 * and its port is known.
	 */
	@Bean
	ClientRegistrationRepository consoleRegistrations(ConsoleServer server, ConsoleProperties console,
			AdminProperties admin) {
		if (!admin.clients().contains(console.clientId())) {
			throw new IllegalStateException("hitotsu.admin.console.client-id '" + console.clientId()
					+ "' is not one of hitotsu.admin.clients " + admin.clients()
					+ ": the admin API would refuse every token the console gets; add it there");
		}
		SingletonSupplier<ClientRegistration> registration = SingletonSupplier
			.of(() -> registration(server.url(), console.clientId(), admin.realm()));
		return (registrationId) -> REGISTRATION_ID.equals(registrationId) ? registration.obtain() : null;
	}

	private static ClientRegistration registration(URI serverUrl, String clientId, String adminRealm) {
		String issuerPath = "/realms/" + adminRealm;
		String issuer = serverUrl.resolve(issuerPath).toString();
		return ClientRegistration.withRegistrationId(REGISTRATION_ID)
			.clientId(clientId)
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}" + CALLBACK_PATH)
			.scope("openid", "profile")
			// relative: the browser stays on the host it uses, where its realm login lives
			.authorizationUri(issuerPath + "/oauth2/authorize")
			.tokenUri(issuer + "/oauth2/token")
			.jwkSetUri(issuer + "/oauth2/jwks")
			.issuerUri(issuer)
			.userNameAttributeName(IdTokenClaimNames.SUB)
			.providerConfigurationMetadata(Map.of("end_session_endpoint", issuerPath + "/connect/logout"))
			.clientName(clientId)
			.build();
	}

	/** Where the console reaches this server: the configured URL, or loopback on the server's port. */
	@Bean
	ConsoleServer consoleServer(ConsoleProperties properties, WebServerApplicationContext context) {
		return () -> (properties.serverUrl() != null) ? properties.serverUrl()
				: URI.create("http://127.0.0.1:" + context.getWebServer().getPort());
	}

	@FunctionalInterface
	interface ConsoleServer {

		URI url();

	}

}
