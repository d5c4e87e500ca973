package example.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

@Configuration
class SecurityConfiguration {

	/** Hitotsu puts the roles this client may see in the claim {@code roles}. */
	static final String ROLES = "roles";

	/**
	 * (b) The API: stateless, an access token of the realm in every call. Boot builds the
	 * decoder from {@code resourceserver.jwt}: signature from the realm's JWKS, {@code iss},
	 * {@code exp}/{@code nbf}, {@code aud}, plus the validator below.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain api(HttpSecurity http) throws Exception {
		JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
		roles.setAuthoritiesClaimName(ROLES);
		roles.setAuthorityPrefix("ROLE_");
		JwtAuthenticationConverter authentication = new JwtAuthenticationConverter();
		authentication.setJwtGrantedAuthoritiesConverter(roles);
		http.securityMatcher("/api/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/api/approvals/**")
				.hasRole("ledger-approver")
				.anyRequest()
				.authenticated())
			.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtAuthenticationConverter(authentication)))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// no cookies on this chain, so nothing a cross-site form could ride on
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	/**
	 * Only access tokens ({@code typ: at+jwt}, RFC 9068): an ID token of this client has the
	 * same issuer and audience, and must not open the API. Needed, not optional: Spring
	 * Security 7's default type check accepts only {@code typ: JWT} and would refuse every
	 * Hitotsu access token; Boot adds every {@code OAuth2TokenValidator<Jwt>} bean to the
	 * decoder's checks, and this one replaces that default.
	 */
	@Bean
	OAuth2TokenValidator<Jwt> accessTokensOnly() {
		return new JwtTypeValidator("at+jwt");
	}

	/** (a) The pages: people log in with Hitotsu (authorization code + PKCE). */
	@Bean
	@Order(2)
	SecurityFilterChain pages(HttpSecurity http, ClientRegistrationRepository clients) throws Exception {
		DefaultOAuth2AuthorizationRequestResolver requests = new DefaultOAuth2AuthorizationRequestResolver(clients,
				"/oauth2/authorization");
		// Spring adds PKCE by itself only for public clients; Hitotsu accepts it from all
		requests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
		OidcClientInitiatedLogoutSuccessHandler logoutAtHitotsu = new OidcClientInitiatedLogoutSuccessHandler(
				clients);
		// must be one of the client's post-logout-redirect-uris
		logoutAtHitotsu.setPostLogoutRedirectUri("{baseUrl}/signed-out");
		http.authorizeHttpRequests((pages) -> pages.requestMatchers("/signed-out", "/error")
			.permitAll()
			.anyRequest()
			.authenticated())
			.oauth2Login((login) -> login
				.authorizationEndpoint((endpoint) -> endpoint.authorizationRequestResolver(requests)))
			// the button posts /logout: ends this application's session, then the login at
			// Hitotsu (RP-initiated logout, id_token_hint), which comes back to /signed-out
			.logout((logout) -> logout.logoutSuccessHandler(logoutAtHitotsu))
			// POST /logout/connect/back-channel/hitotsu: Hitotsu's logout token (checked
			// against the realm's JWKS) ends this application's sessions of that sid
			.oidcLogout((logout) -> logout.backChannel(Customizer.withDefaults()));
		return http.build();
	}

	/** The ID token's (and UserInfo's) {@code roles} as Spring roles, for the pages. */
	@Bean
	GrantedAuthoritiesMapper hitotsuRoles() {
		return (authorities) -> {
			List<GrantedAuthority> mapped = new ArrayList<>(authorities);
			for (GrantedAuthority authority : authorities) {
				if (authority instanceof OidcUserAuthority oidc
						&& oidc.getAttributes().get(ROLES) instanceof Collection<?> roles) {
					roles.forEach((role) -> mapped.add(new SimpleGrantedAuthority("ROLE_" + role)));
				}
			}
			return mapped;
		};
	}

}
