package jp.hitotsu.oidc;

import java.time.Clock;
import java.util.Map;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.federation.AssuranceRaising;
import jp.hitotsu.login.LoginFlow;
import jp.hitotsu.login.PageSecurityConfiguration;
import jp.hitotsu.login.RealmLoginEntryPoint;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.login.RealmRequestCache;
import jp.hitotsu.login.RealmSecurityContextRepository;
import jp.hitotsu.metrics.TokenMetrics;
import jp.hitotsu.realm.RealmContext;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The OAuth 2 / OpenID Connect endpoints of every realm, on Spring Authorization Server's
 * multiple-issuer support: the issuer is the request's base URL plus
 * {@code /realms/{name}}. The realm was already bound to the request (and an unknown one
 * refused) by the realm filter; the strategies configured here read it to keep clients,
 * grants and keys apart per realm.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	/**
	 * No Micrometer observation around every security filter and authentication: with an
	 * observation registry present, Spring Security wraps each of the ~25 filters of a chain
	 * in an observation decorator even when a predicate turns the observations off
	 * ({@code management.observations.enable.spring.security}); this setting removes the
	 * decorators themselves. On the token endpoint they cost more than the filters.
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	AuthorizationRequestGate authorizationRequestGate(LoginFlow flow, RealmLogins realmLogins,
			RealmClientRepository clients, RealmRequestCache requestCache, AccountService accounts,
			AssuranceRaising raising, PostgresAuthorizationService authorizations, Clock clock) {
		return new AuthorizationRequestGate(flow, realmLogins, clients, requestCache, accounts, raising,
				authorizations, clock);
	}

	/** The gate runs inside the authorization server's chain only, not as a servlet filter too. */
	@Bean
	FilterRegistrationBean<AuthorizationRequestGate> authorizationRequestGateRegistration(
			AuthorizationRequestGate gate) {
		FilterRegistrationBean<AuthorizationRequestGate> registration = new FilterRegistrationBean<>(gate);
		registration.setEnabled(false);
		return registration;
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings() {
		// the user code page is the realm's own page, /realms/{realm}/connect-device
		return AuthorizationServerSettings.builder()
			.multipleIssuersAllowed(true)
			.deviceVerificationEndpoint(DeviceVerification.PAGE)
			.build();
	}

	@Bean
	// not in a command run without a web server (rotate-keys): there is no HttpSecurity there
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http, RealmClientRepository clients,
			PostgresAuthorizationService authorizations, PostgresConsentService consents,
			RealmUserInfoMapper userInfo, RealmEndSessionHandler endSession, RealmAccessTokenDecoder accessTokens,
			RealmSecurityContextRepository logins, RealmRequestCache requestCache, RealmLoginEntryPoint loginPage,
			AuthorizationRequestGate gate, TokenMetrics tokenMetrics, DPoPProofs proofs, EndpointAudit audit,
			TokenExchangePolicy tokenExchange, DeviceVerification device) throws Exception {
		http.oauth2AuthorizationServer((server) -> server.registeredClientRepository(clients)
			.authorizationService(authorizations)
			.authorizationConsentService(consents)
			.clientAuthentication((clientAuthentication) -> clientAuthentication
				.authenticationConverters((converters) -> {
					converters.replaceAll((converter) -> (converter instanceof JwtClientAssertionAuthenticationConverter)
							? new ClientAssertionWithoutClientId() : converter);
					converters.add(0, PublicDeviceClients.converter());
				})
				.authenticationProviders((providers) -> {
					providers.add(0, PublicDeviceClients.provider(clients));
					providers.forEach((provider) -> {
						if (provider instanceof ClientSecretAuthenticationProvider secretProvider) {
							secretProvider.setPasswordEncoder(clients.secretEncoder());
						}
						if (provider instanceof JwtClientAssertionAuthenticationProvider assertionProvider) {
							assertionProvider.setJwtDecoderFactory(new ClientAssertionDecoders());
						}
					});
				}))
			.tokenEndpoint((endpoint) -> endpoint
				.accessTokenResponseHandler(tokenMetrics.counting(new OAuth2AccessTokenResponseAuthenticationSuccessHandler())))
			.authorizationEndpoint((endpoint) -> endpoint.consentPage(ConsentController.PATH))
			.tokenEndpoint((endpoint) -> endpoint.authenticationProviders(
					(providers) -> providers.replaceAll((provider) -> audit.token(tokenExchange.constrain(provider)))))
			.pushedAuthorizationRequestEndpoint((endpoint) -> endpoint.errorResponseHandler(new ParameterErrors()))
			.deviceAuthorizationEndpoint(
					(endpoint) -> endpoint.deviceAuthorizationResponseHandler(device.deviceAuthorizationResponse())
						.errorResponseHandler(new ParameterErrors()))
			.deviceVerificationEndpoint((endpoint) -> endpoint.consentPage(ConsentController.PATH)
				.authenticationProviders((providers) -> providers
					.replaceAll((provider) -> audit.deviceVerification(device.constrain(provider))))
				.deviceVerificationResponseHandler(device.approved())
				.errorResponseHandler(device.refused()))
			.tokenRevocationEndpoint((endpoint) -> endpoint
				.authenticationProviders((providers) -> providers.replaceAll(audit::revocation)))
			.tokenIntrospectionEndpoint((endpoint) -> endpoint
				.authenticationProviders((providers) -> providers.replaceAll(audit::introspection)))
			.authorizationServerMetadataEndpoint(
					(endpoint) -> endpoint.authorizationServerMetadataCustomizer(
							(metadata) -> metadata.claims((claims) -> customizeMetadata(claims, clients))))
			.oidc((oidc) -> oidc
				.providerConfigurationEndpoint(
						(endpoint) -> endpoint.providerConfigurationCustomizer(
								(metadata) -> metadata.claims((claims) -> customizeMetadata(claims, clients))))
				.userInfoEndpoint((endpoint) -> endpoint.userInfoMapper(userInfo)
					.authenticationProviders((providers) -> providers.replaceAll((provider) -> OutageErrors.translating(
							audit.userInfo((provider instanceof OidcUserInfoAuthenticationProvider)
									? new ClientUserInfo(provider, authorizations) : provider))))
					.errorResponseHandler(OutageErrors.ofUserInfo()))
				.logoutEndpoint((endpoint) -> endpoint.logoutResponseHandler(endSession)
					.authenticationProviders((providers) -> providers.replaceAll(OutageErrors::translating))
					.errorResponseHandler(OutageErrors.ofLogout()))));
		RequestMatcher endpoints = http.getConfigurer(OAuth2AuthorizationServerConfigurer.class).getEndpointsMatcher();
		// a browser sent to the authorization endpoint without a login of this realm goes to
		// the realm's login page; every other endpoint answers 401 with an OAuth error
		RequestMatcher loginRedirect = new OrRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher("/realms/*/oauth2/authorize"),
				PathPatternRequestMatcher.withDefaults().matcher("/realms/*" + DeviceVerification.PAGE));
		RequestMatcher clientEndpoints = new OrRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher("/realms/*/oauth2/token"),
				PathPatternRequestMatcher.withDefaults().matcher("/realms/*/oauth2/par"),
				PathPatternRequestMatcher.withDefaults().matcher("/realms/*/oauth2/device_authorization"),
				PathPatternRequestMatcher.withDefaults().matcher("/realms/*/oauth2/introspect"),
				PathPatternRequestMatcher.withDefaults().matcher("/realms/*/oauth2/revoke"));
		http.securityMatcher(endpoints)
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
			.securityContext((context) -> context.securityContextRepository(logins))
			.requestCache((cache) -> cache.requestCache(requestCache))
			// the device page is served on this chain: the pages' policy holds there too
			.headers((headers) -> headers.contentSecurityPolicy(
					(csp) -> csp.policyDirectives(PageSecurityConfiguration.CONTENT_SECURITY_POLICY)))
			.oauth2ResourceServer((resourceServer) -> resourceServer.jwt((jwt) -> jwt.decoder(accessTokens)))
			.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(loginPage, loginRedirect)
				.defaultAuthenticationEntryPointFor(new ClientAuthenticationRequired(), clientEndpoints))
			// early: before the authorization endpoint issues a code on a login too weak or old
			.addFilterAfter(gate, CsrfFilter.class)
			// once the access token and its DPoP proof are authenticated, before UserInfo answers
			.addFilterAfter(new DPoPResourceFilter(proofs), AuthenticationFilter.class);
		return http.build();
	}

	/** Both metadata documents say what the realm of the request supports. */
	private static void customizeMetadata(Map<String, Object> claims, RealmClientRepository clients) {
		String realm = RealmContext.require().name();
		ProviderMetadata.customize(claims, clients.scopes(realm), clients.anyReceivesVerifiedClaims(realm));
	}

}
