package jp.hitotsu.login;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Security of the pages people see (login, home, demo client, errors); the protocol
 * endpoints have their own chain, ordered before this one.
 *
 * <p>
 * Pages are public: what needs a login is behind the authorization endpoint. Forms are
 * protected against CSRF. The content security policy allows no inline script or style
 * and no framing (clickjacking). It sets no {@code form-action}: after the login form,
 * the browser is redirected to a client's redirect URI, which Chromium would check against
 * it.
 */
@Configuration(proxyBeanMethods = false)
public class PageSecurityConfiguration {

	public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

	@Bean
	// not in a command run without a web server (rotate-keys): there is no HttpSecurity there
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@Order(Ordered.LOWEST_PRECEDENCE - 10)
	SecurityFilterChain pageSecurityFilterChain(HttpSecurity http, RealmSecurityContextRepository contexts,
			RealmRequestCache requestCache) throws Exception {
		http.authorizeHttpRequests((authorize) -> authorize.anyRequest().permitAll())
			.securityContext((context) -> context.securityContextRepository(contexts))
			.requestCache((cache) -> cache.requestCache(requestCache))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
			.formLogin((form) -> form.disable())
			.httpBasic((basic) -> basic.disable())
			.logout((logout) -> logout.disable());
		return http.build();
	}

}
