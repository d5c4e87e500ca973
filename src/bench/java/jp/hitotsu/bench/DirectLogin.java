package jp.hitotsu.bench;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One browserless authorization code + PKCE login with the JDK's HTTP client, outside the
 * measured load: it gives the refresh, UserInfo and introspection scenarios their tokens,
 * and fails early, with the request and response, when a server's login does not work.
 * The measured login (in {@link OidcSimulation}) takes the same steps through Gatling.
 */
public final class DirectLogin {

	private static final int MAX_HOPS = 10;

	private DirectLogin() {
	}

	/** Logs a user in and returns the token response. */
	public static JsonNode login(Provider provider, BenchConfig config, String username) {
		Cookies cookies = new Cookies();
		String verifier = Pkce.random(32);
		String state = Pkce.random(16);
		URI uri = URI.create(provider.authorizationRequest(config.webClientId(), config.redirectUri(),
				"openid profile email", state, Pkce.random(16), Pkce.challenge(verifier)));
		HttpResponse<String> response = get(uri, cookies);
		boolean formPosted = false;
		for (int hop = 0; hop < MAX_HOPS; hop++) {
			if (isRedirect(response)) {
				URI next = location(response);
				if (next.toString().startsWith(config.redirectUri())) {
					Map<String, String> params = query(next);
					if (!state.equals(params.get("state"))) {
						throw new IllegalStateException("state not returned: " + next);
					}
					String code = params.get("code");
					if (code == null) {
						throw new IllegalStateException("no code in " + next);
					}
					Map<String, String> form = new LinkedHashMap<>();
					form.put("grant_type", "authorization_code");
					form.put("code", code);
					form.put("redirect_uri", config.redirectUri());
					form.put("code_verifier", verifier);
					JsonNode tokens = Http.postForm(provider.token(), config.webClientId(), config.webClientSecret(), form);
					for (String name : new String[] { "access_token", "id_token", "refresh_token" }) {
						if (!tokens.hasNonNull(name)) {
							throw new IllegalStateException("token response without " + name + ": " + tokens);
						}
					}
					return tokens;
				}
				response = get(next, cookies);
			}
			else if (response.statusCode() == 200 && !formPosted) {
				LoginForm form = LoginForm.parse(response.body(), response.uri(), username, config.password());
				response = Http.send(browser(form.action(), cookies)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form.body()))
					.build());
				cookies.update(response.headers().allValues("Set-Cookie"));
				formPosted = true;
			}
			else {
				throw new IllegalStateException("login of " + username + ": " + response.request().method() + " "
						+ response.uri() + " answered " + response.statusCode() + ": " + Http.abbreviate(response.body()));
			}
		}
		throw new IllegalStateException("login of " + username + " did not reach the redirect URI in " + MAX_HOPS + " steps");
	}

	private static HttpResponse<String> get(URI uri, Cookies cookies) {
		HttpResponse<String> response = Http.send(browser(uri, cookies).GET().build());
		cookies.update(response.headers().allValues("Set-Cookie"));
		return response;
	}

	private static HttpRequest.Builder browser(URI uri, Cookies cookies) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(30))
			.header("Accept", "text/html,application/xhtml+xml")
			.header("Accept-Language", "en");
		if (!cookies.isEmpty()) {
			builder.header("Cookie", cookies.header());
		}
		return builder;
	}

	static boolean isRedirect(HttpResponse<?> response) {
		int status = response.statusCode();
		return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
				&& response.headers().firstValue("Location").isPresent();
	}

	static URI location(HttpResponse<?> response) {
		return response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
	}

	/** The query parameters of a URI (the redirect carrying the code). */
	public static Map<String, String> query(URI uri) {
		Map<String, String> params = new LinkedHashMap<>();
		String raw = uri.getRawQuery();
		if (raw != null) {
			for (String pair : raw.split("&")) {
				int eq = pair.indexOf('=');
				String name = eq < 0 ? pair : pair.substring(0, eq);
				String value = eq < 0 ? "" : pair.substring(eq + 1);
				params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
			}
		}
		return params;
	}

}
