package jp.hitotsu.provisioning;

import jp.hitotsu.admin.ProvisioningAccess;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * SCIM is a resource server on the admin API's terms: the same admin-realm access tokens
 * ({@link ProvisioningAccess}), no session, no cookie and so no CSRF token; refusals are
 * SCIM errors. Which realm a token may provision is decided per call
 * ({@link ScimAuthorization}).
 */
@Configuration(proxyBeanMethods = false)
class ScimSecurityConfiguration implements WebMvcConfigurer {

	static final String PATHS = "/scim/v2/**";

	private final ScimAuthorization authorization;

	ScimSecurityConfiguration(ScimAuthorization authorization) {
		this.authorization = authorization;
	}

	@Bean
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@Order(Ordered.HIGHEST_PRECEDENCE + 2)
	SecurityFilterChain scimSecurityFilterChain(HttpSecurity http, ProvisioningAccess access, ScimErrors errors)
			throws Exception {
		http.securityMatcher(PATHS)
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.jwt((jwt) -> jwt.decoder(access.tokenDecoder()))
				.authenticationEntryPoint((request, response, failure) -> {
					boolean tokenRefused = failure instanceof OAuth2AuthenticationException;
					response.setHeader(HttpHeaders.WWW_AUTHENTICATE, tokenRefused
							? "Bearer error=\"invalid_token\", error_description=\"The access token is not accepted here\""
							: "Bearer");
					errors.write(response, errors.error(HttpStatus.UNAUTHORIZED, null, errors.message(request,
							tokenRefused ? "scim.error.invalid-token" : "scim.error.unauthorized", access.adminRealm())));
				}));
		return http.build();
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.authorization).addPathPatterns(PATHS);
	}

}
