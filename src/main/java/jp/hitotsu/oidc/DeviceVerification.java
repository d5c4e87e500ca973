package jp.hitotsu.oidc;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2DeviceAuthorizationResponse;
import org.springframework.security.oauth2.core.http.converter.OAuth2DeviceAuthorizationResponseHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The device authorization grant (RFC 8628) on Spring's endpoints, made fit for shared
 * terminals and kiosks:
 * <ul>
 * <li>the user code page is the realm's own, {@code /realms/{realm}/connect-device}, in Japanese
 * and English ({@link DeviceController}); discovery and the device authorization response
 * point there;</li>
 * <li>the person always sees the consent page, which names the client and the code, before
 * a device gets anything: someone who was handed a code must see what it unlocks;</li>
 * <li>codes are read as typed (lower case, spaces, with or without the dash); Spring's
 * codes have no vowels and no digits, so nothing looks alike;</li>
 * <li>wrong codes are counted per person across every replica: after
 * {@code hitotsu.device.user-code-attempts} in {@code hitotsu.device.attempt-window} the page
 * refuses every code until the window ends.</li>
 * </ul>
 * The device code and user code are stored and found by their SHA-256 like every token
 * ({@link PostgresAuthorizationService}) and purged with their grant once expired.
 */
@Component
class DeviceVerification {

	/**
	 * The page's path under the realm. Not {@code /device}: Spring finds a request's issuer
	 * by removing the first endpoint path the request path contains, and
	 * {@code /oauth2/device_authorization} contains {@code /device}.
	 */
	static final String PAGE = "/connect-device";

	/** Our error code for a person over the attempt limit. */
	static final String TOO_MANY_ATTEMPTS = "too_many_attempts";

	/** The refusals the device page explains; any other reads as a malformed request. */
	static final Set<String> EXPLAINED = Set.of(OAuth2ErrorCodes.INVALID_GRANT, OAuth2ErrorCodes.ACCESS_DENIED,
			TOO_MANY_ATTEMPTS);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final DeviceGrantProperties properties;

	private final OAuth2DeviceAuthorizationResponseHttpMessageConverter responses = new OAuth2DeviceAuthorizationResponseHttpMessageConverter();

	DeviceVerification(JdbcClient jdbc, Clock clock, DeviceGrantProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	/** Spring's verification provider, always asking for consent, behind the attempt limit. */
	AuthenticationProvider constrain(AuthenticationProvider provider) {
		if (!(provider instanceof OAuth2DeviceVerificationAuthenticationProvider verification)) {
			return provider;
		}
		verification.setAuthorizationConsentRequired((context) -> true);
		return new AuthenticationProvider() {
			@Override
			public Authentication authenticate(Authentication authentication) {
				OAuth2DeviceVerificationAuthenticationToken request = (OAuth2DeviceVerificationAuthenticationToken) authentication;
				Authentication person = (Authentication) request.getPrincipal();
				Realm realm = RealmContext.require();
				if (failures(realm, person.getName()) >= DeviceVerification.this.properties.userCodeAttempts()) {
					throw new OAuth2AuthenticationException(new OAuth2Error(TOO_MANY_ATTEMPTS,
							"Too many wrong user codes in realm '" + realm.name() + "'; try again later", null));
				}
				try {
					return provider.authenticate(new OAuth2DeviceVerificationAuthenticationToken(person,
							normalized(request.getUserCode()), request.getAdditionalParameters()));
				}
				catch (OAuth2AuthenticationException ex) {
					if (OAuth2ErrorCodes.INVALID_GRANT.equals(ex.getError().getErrorCode())) {
						countFailure(realm, person.getName());
					}
					throw ex;
				}
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return provider.supports(authentication);
			}
		};
	}

	/** As Spring generates them: eight letters, upper case, in two groups of four. */
	static String normalized(String typed) {
		String letters = typed.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
		return (letters.length() == 8) ? letters.substring(0, 4) + "-" + letters.substring(4) : typed;
	}

	/** Wrong codes the person entered in the window that began with their first one. */
	private int failures(Realm realm, String person) {
		return this.jdbc.sql("""
				select coalesce(max(failures), 0) from device_user_code_failure
				where realm = :realm and principal_name = :person and expires_at > :now
				""")
			.param("realm", realm.name())
			.param("person", person)
			.param("now", Timestamp.from(this.clock.instant()))
			.query(Integer.class)
			.single();
	}

	/** One more wrong code; a window that ended starts again with this one. */
	private void countFailure(Realm realm, String person) {
		Instant now = this.clock.instant();
		this.jdbc.sql("""
				insert into device_user_code_failure (realm, principal_name, failures, expires_at)
				values (:realm, :person, 1, :expires)
				on conflict (realm, principal_name) do update set
				  failures = case when device_user_code_failure.expires_at > :now
				    then device_user_code_failure.failures + 1 else 1 end,
				  expires_at = case when device_user_code_failure.expires_at > :now
				    then device_user_code_failure.expires_at else excluded.expires_at end
				""")
			.param("realm", realm.name())
			.param("person", person)
			.param("now", Timestamp.from(now))
			.param("expires", Timestamp.from(now.plus(this.properties.attemptWindow())))
			.update();
	}

	/** The device authorization response, sending the person to the realm's own page. */
	AuthenticationSuccessHandler deviceAuthorizationResponse() {
		return (request, response, authentication) -> {
			OAuth2DeviceAuthorizationRequestAuthenticationToken issued = (OAuth2DeviceAuthorizationRequestAuthenticationToken) authentication;
			String page = AuthorizationServerContextHolder.getContext().getIssuer() + PAGE;
			this.responses.write(OAuth2DeviceAuthorizationResponse.with(issued.getDeviceCode(), issued.getUserCode())
				.verificationUri(page)
				.verificationUriComplete(UriComponentsBuilder.fromUriString(page)
					.queryParam("user_code", issued.getUserCode().getTokenValue())
					.toUriString())
				.build(), null, new ServletServerHttpResponse(response));
		};
	}

	/** After the person allowed the device: the page says it is done. */
	AuthenticationSuccessHandler approved() {
		return (request, response, authentication) -> response.sendRedirect(page(request) + "?approved");
	}

	/** A wrong code, a denial or the attempt limit: the page explains it and asks again. */
	AuthenticationFailureHandler refused() {
		return (request, response, exception) -> {
			String code = (exception instanceof OAuth2AuthenticationException oauth)
					? oauth.getError().getErrorCode() : OAuth2ErrorCodes.INVALID_REQUEST;
			response.sendRedirect(page(request) + "?error="
					+ (EXPLAINED.contains(code) ? code : OAuth2ErrorCodes.INVALID_REQUEST));
		};
	}

	private static String page(HttpServletRequest request) {
		return request.getContextPath() + RealmContext.require().issuerPath() + PAGE;
	}

}
