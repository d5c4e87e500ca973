package jp.hitotsu.web;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;

/** The bearer token without regex: the same token, or the same refusal, as Spring Security's converter. */
class BearerTokenHeaderTests {

	private final BearerTokenHeader header = new BearerTokenHeader();

	private final BearerTokenAuthenticationConverter springSecurity = new BearerTokenAuthenticationConverter();

	@Test
	void resolveWhenHeaderValuesThenSameAsSpringSecurity() {
		List<String> values = new ArrayList<>(List.of("Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
				"bearer abc", "BEARER abc==", "Bearer abc=", "Bearer a=b", "Bearer ", "Bearer", "Bearerabc",
				"Bearer  abc", "Bearer abc ", "Bearer\tabc", "Basic dXNlcjpwYXNz", "DPoP abc", "bear abc",
				"Bearer ===", "Bearer -._~+/", "Bearer a b", "", "Bearer a%20b"));
		for (char c = 0; c < 0x3000; c++) {
			values.add("Bearer ab" + c + "cd");
			values.add("Bearer abcd" + c);
		}
		for (String value : values) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/realms/r/userinfo");
			request.addHeader("Authorization", value);
			assertThat(outcome(() -> this.header.resolve(request))).as("Authorization: %s", value)
				.isEqualTo(outcome(() -> token(this.springSecurity.convert(request))));
		}
	}

	@Test
	void resolveWhenNoHeaderThenNoToken() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/realms/r/userinfo");
		assertThat(this.header.resolve(request)).isNull();
		assertThat(this.springSecurity.convert(request)).isNull();
	}

	@Test
	void resolveWhenTokenInParameterThenOnlyTheHeaderCountsLikeSpringSecurity() {
		for (String method : new String[] { "GET", "POST" }) {
			MockHttpServletRequest request = new MockHttpServletRequest(method, "/realms/r/userinfo");
			request.setContentType("application/x-www-form-urlencoded");
			request.addParameter("access_token", "abc");
			assertThat(outcome(() -> this.header.resolve(request))).isEqualTo("none")
				.isEqualTo(outcome(() -> token(this.springSecurity.convert(request))));
			request.addHeader("Authorization", "Bearer def");
			assertThat(outcome(() -> this.header.resolve(request))).isEqualTo("token def")
				.isEqualTo(outcome(() -> token(this.springSecurity.convert(request))));
		}
	}

	private static String token(Authentication authentication) {
		return (authentication != null) ? ((BearerTokenAuthenticationToken) authentication).getToken() : null;
	}

	private static String outcome(java.util.function.Supplier<String> resolution) {
		try {
			String token = resolution.get();
			return (token != null) ? "token " + token : "none";
		}
		catch (OAuth2AuthenticationException ex) {
			return "error " + ex.getError().getErrorCode();
		}
	}

}
