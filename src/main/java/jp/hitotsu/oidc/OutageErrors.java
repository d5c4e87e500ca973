package jp.hitotsu.oidc;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.database.DatabaseOutages;

import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * UserInfo and logout while the database is unreachable. The authorization server's filters
 * of these two endpoints turn any exception of their provider into a 400
 * {@code invalid_request} carrying the exception's message, the cause dropped; so the
 * provider's outage is made an OAuth error that keeps its cause ({@link #translating}), and
 * the error handler sends that one on, to be answered 503 like every outage, and every other
 * error the way the filter would.
 */
final class OutageErrors implements AuthenticationFailureHandler {

	private static final String UNAVAILABLE = "temporarily_unavailable";

	private final AuthenticationFailureHandler otherwise;

	private OutageErrors(AuthenticationFailureHandler otherwise) {
		this.otherwise = otherwise;
	}

	/** The provider, failing with an OAuth error that keeps the cause when the database is unreachable. */
	static AuthenticationProvider translating(AuthenticationProvider provider) {
		return new AuthenticationProvider() {
			@Override
			public Authentication authenticate(Authentication authentication) {
				try {
					return provider.authenticate(authentication);
				}
				catch (RuntimeException ex) {
					if (ex instanceof AuthenticationException || !DatabaseOutages.causedBy(ex)) {
						throw ex;
					}
					throw new OAuth2AuthenticationException(new OAuth2Error(UNAVAILABLE), ex);
				}
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return provider.supports(authentication);
			}
		};
	}

	/** Other errors as the UserInfo filter answers them: JSON, 401 for a bad token, 403 for a missing scope. */
	static OutageErrors ofUserInfo() {
		HttpMessageConverter<OAuth2Error> json = new OAuth2ErrorHttpMessageConverter();
		return new OutageErrors((request, response, exception) -> {
			OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
			HttpStatus status = switch (error.getErrorCode()) {
				case OAuth2ErrorCodes.INVALID_TOKEN -> HttpStatus.UNAUTHORIZED;
				case OAuth2ErrorCodes.INSUFFICIENT_SCOPE -> HttpStatus.FORBIDDEN;
				default -> HttpStatus.BAD_REQUEST;
			};
			ServletServerHttpResponse httpResponse = new ServletServerHttpResponse(response);
			httpResponse.setStatusCode(status);
			json.write(error, null, httpResponse);
		});
	}

	/** Other errors as the logout filter answers them: a 400 error page. */
	static OutageErrors ofLogout() {
		return new OutageErrors((request, response, exception) -> response.sendError(HttpStatus.BAD_REQUEST.value(),
				((OAuth2AuthenticationException) exception).getError().toString()));
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		if (UNAVAILABLE.equals(((OAuth2AuthenticationException) exception).getError().getErrorCode())) {
			// the database's failure alone: an authentication exception in the chain would make
			// Spring Security start a login (a session, a saved request) instead
			throw new ServletException("The endpoint needs the database", exception.getCause());
		}
		this.otherwise.onAuthenticationFailure(request, response, exception);
	}

}
