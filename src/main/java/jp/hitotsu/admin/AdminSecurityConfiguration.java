package jp.hitotsu.admin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The admin API is an OAuth 2 resource server: every call carries an access token of the
 * admin realm ({@link AdminTokenDecoder}); which operations its roles allow is decided per
 * handler ({@link AdminAuthorization}). No session and no cookie: without a cookie to
 * ride on, there is no cross-site request to forge, hence no CSRF token.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

	static final String API_PATHS = "/admin/api/**";

	/** The OpenAPI description of the admin API (AdminOpenApi), in JSON and YAML. */
	static final String[] DESCRIPTION_PATHS = { "/admin/api/openapi", "/admin/api/openapi.yaml" };

	@Bean
	// not in a command run without a web server (rotate-keys): there is no HttpSecurity there
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	SecurityFilterChain adminApiSecurityFilterChain(HttpSecurity http, AdminTokenDecoder tokens,
			AdminProblems problems, AdminProperties properties) throws Exception {
		http.securityMatcher(API_PATHS)
			// the description is public, as Keycloak's admin REST docs are: it holds no secret
			// and no realm data, and tools that generate clients read it without a token
			.authorizeHttpRequests((authorize) -> authorize.requestMatchers(HttpMethod.GET, DESCRIPTION_PATHS)
				.permitAll()
				.anyRequest()
				.authenticated())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.oauth2ResourceServer((resourceServer) -> resourceServer.jwt((jwt) -> jwt.decoder(tokens))
				.authenticationEntryPoint(unauthorized(problems, properties.realm())));
		return http.build();
	}

	/**
	 * 401 with the RFC 6750 {@code WWW-Authenticate} header and a problem body. Written
	 * here rather than by Spring's bearer entry point, which also names an RFC 9728
	 * metadata document this server does not publish.
	 */
	private static AuthenticationEntryPoint unauthorized(AdminProblems problems, String adminRealm) {
		return (request, response, failure) -> {
			boolean tokenRefused = failure instanceof OAuth2AuthenticationException;
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, tokenRefused
					? "Bearer error=\"invalid_token\", error_description=\"The access token is not accepted here\""
					: "Bearer");
			problems.write(response, problems.problem(request, HttpStatus.UNAUTHORIZED,
					tokenRefused ? "invalid-token" : "unauthorized",
					tokenRefused ? "admin.problem.invalid-token" : "admin.problem.unauthorized", adminRealm));
		};
	}

}
