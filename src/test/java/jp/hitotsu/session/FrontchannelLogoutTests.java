package jp.hitotsu.session;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.sun.net.httpserver.HttpServer;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static jp.hitotsu.support.AdminApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenID Connect Front-Channel Logout 1.0: when the user logs out at the realm, the browser
 * loads each front-channel logout URI of the session's clients in a hidden frame, with
 * {@code iss} and {@code sid}, then follows a link to where the logout was going.
 */
class FrontchannelLogoutTests extends ServerTest {

	private static final String REALM = "sessions";

	private static final URI CALLBACK = URI.create("http://127.0.0.1/rp/callback");

	private static final String POST_LOGOUT = "http://127.0.0.1/rp/logged-out";

	private final AdminApi admin = new AdminApi(this);

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@Test
	void discoveryAdvertisesFrontchannelLogoutWithSessions() {
		assertThat(discover(REALM).supportsFrontChannelLogout()).isTrue();
		assertThat(discover(REALM).supportsFrontChannelLogoutSession()).isTrue();
	}

	@Test
	void logoutAtTheRealmShowsTheClientsFrontchannelFramesThenLinksOn() throws Exception {
		String frontchannel = "http://127.0.0.1/rp/frontchannel-logout";
		Rp rp = register(frontchannel);
		Browserless browser = browser();
		OidcClient.Authorization authorization = rp.client().authorization(CALLBACK, "openid");
		OIDCTokens tokens = rp.client()
			.exchange(browser.authorize(authorization.uri(), "session-user-frames", "session-user-frames-test-pass"),
					authorization)
			.getOIDCTokens();
		String sid = tokens.getIDToken().getJWTClaimsSet().getStringClaim("sid");

		HttpResponse<String> logout = browser.get(endSession(rp, tokens, "xyz"));
		assertThat(logout.statusCode()).isEqualTo(302);
		URI frames = Browserless.location(logout);
		assertThat(frames.getPath()).isEqualTo("/realms/sessions/logout/frames");

		HttpResponse<String> page = browser.get(frames);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying((policy) -> assertThat(
				policy).contains("frame-src http://127.0.0.1").contains("script-src 'self'").doesNotContain("*"));
		assertThat(page.body()).contains("src=\"" + frontchannel + "?iss="
				+ URLEncoder.encode(issuer(REALM).getValue(), StandardCharsets.UTF_8) + "&amp;sid=" + sid + "\"")
			.contains("href=\"" + POST_LOGOUT + "?state=xyz\"");
		assertThat(Browserless.location(browser.get(frames)).getPath()).as("shown once")
			.isEqualTo("/realms/sessions/login");
		assertThat(browser.authorizeLoggedIn(rp.client().authorization(CALLBACK, "openid").uri()).getPath())
			.as("logged out").isEqualTo("/realms/sessions/login");
	}

	@Test
	void registerWhenFrontchannelLogoutUriOnAnotherOriginThenProblemNamesTheField() {
		JsonNode problem = assertProblem(this.admin.postJson("/admin/api/realms/" + REALM + "/clients", adminToken(),
				client("bad-" + UUID.randomUUID(), "https://elsewhere.example.test/logout")), 400,
				"urn:hitotsu:problem:invalid-request");
		assertThat(problem.get("errors")).extracting((error) -> error.get("field").asString())
			.containsExactly("frontchannelLogoutUri");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ja-JP", "en-US" })
	void framesPageLoadsTheFramesAndHasNoAccessibilityViolations(String locale) throws Exception {
		List<String> loaded = new CopyOnWriteArrayList<>();
		HttpServer relyingParty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		relyingParty.createContext("/rp/frontchannel-logout", (exchange) -> {
			loaded.add(exchange.getRequestURI().getQuery());
			byte[] body = "<!DOCTYPE html><html lang=\"en\"><head><title>Logged out</title></head><body><p>Logged out</p></body></html>"
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		relyingParty.start();
		try {
			Rp rp = register("http://127.0.0.1:" + relyingParty.getAddress().getPort() + "/rp/frontchannel-logout");
			this.context = Chromium.newContext(locale);
			Page page = this.context.newPage();
			List<String> callbacks = new CopyOnWriteArrayList<>();
			this.context.onRequest((request) -> {
				if (request.url().startsWith(CALLBACK.toString())) {
					callbacks.add(request.url());
				}
			});
			OidcClient.Authorization authorization = rp.client().authorization(CALLBACK, "openid");
			page.navigate(authorization.uri().toString());
			page.locator("#username").fill("session-user-frames-axe");
			page.locator("#password").fill("session-user-frames-axe-test-pass");
			page.locator("form.login-form button[type=submit]").click();
			page.waitForCondition(() -> !callbacks.isEmpty());
			OIDCTokens tokens = rp.client().exchange(URI.create(callbacks.get(0)), authorization).getOIDCTokens();

			// a page of its own: the first one may still be failing to load the callback (no server there)
			Page logout = this.context.newPage();
			logout.navigate(endSession(rp, tokens, null).toString());
			PlaywrightAssertions.assertThat(logout.locator("#logout-continue")).hasAttribute("href", POST_LOGOUT);
			logout.waitForCondition(() -> !loaded.isEmpty());
			assertThat(loaded.get(0)).contains("sid=" + tokens.getIDToken().getJWTClaimsSet().getStringClaim("sid"));
			assertThat(Chromium.axe(logout, "front-channel logout frames")).isEmpty();
		}
		finally {
			relyingParty.stop(0);
		}
	}

	private URI endSession(Rp rp, OIDCTokens tokens, String state) {
		return URI.create(rp.client().provider().getEndSessionEndpointURI() + "?id_token_hint="
				+ tokens.getIDTokenString() + "&post_logout_redirect_uri="
				+ URLEncoder.encode(POST_LOGOUT, StandardCharsets.UTF_8) + ((state != null) ? "&state=" + state : ""));
	}

	private String adminToken() {
		return this.admin.token("sessions-admin", "sessions-admin-test-pass-0001");
	}

	private Rp register(String frontchannelLogoutUri) {
		String clientId = "frames-" + UUID.randomUUID();
		HttpResponse<String> created = this.admin.postJson("/admin/api/realms/" + REALM + "/clients", adminToken(),
				client(clientId, frontchannelLogoutUri));
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		JsonNode body = AdminApi.json(created);
		assertThat(body.get("client").get("frontchannelLogoutUri").asString()).isEqualTo(frontchannelLogoutUri);
		return new Rp(clientId, client(REALM, clientId, body.get("secret").asString()));
	}

	private static String client(String clientId, String frontchannelLogoutUri) {
		return """
				{"clientId": "%s", "name": "Frames RP", "grantTypes": ["authorization_code"],
				 "redirectUris": ["%s"], "postLogoutRedirectUris": ["%s"], "scopes": ["openid"],
				 "frontchannelLogoutUri": "%s", "frontchannelLogoutSessionRequired": true}
				""".formatted(clientId, CALLBACK, POST_LOGOUT, frontchannelLogoutUri);
	}

	private record Rp(String clientId, OidcClient client) {
	}

}
