package jp.hitotsu.oidc;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import jp.hitotsu.support.TestClock;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static jp.hitotsu.support.Browserless.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushed authorization requests (RFC 9126): offered to every client, required of
 * {@code par-app} (realm {@code grants}, {@code require-pushed-authorization-requests});
 * the login checks read {@code acr_values}, {@code prompt} and {@code max_age} from what
 * was pushed.
 */
class PushedAuthorizationTests extends ServerTest {

	private static final URI CALLBACK = URI.create("https://par.example.test/callback");

	private static final URI WEB_APP_CALLBACK = URI.create("https://app.example.test/callback");

	@Autowired
	private TestClock clock;

	private OidcClient parApp() {
		return client("grants", "par-app", "par-app-secret-0123456789");
	}

	@Test
	void discoveryWhenRealmAllowsThenAdvertisesParDeviceAndTokenExchange() {
		OIDCProviderMetadata metadata = discover("grants");
		assertThat(metadata.getPushedAuthorizationRequestEndpointURI()).isEqualTo(uri("/realms/grants/oauth2/par"));
		assertThat(metadata.requiresPushedAuthorizationRequests()).isFalse();
		// Nimbus leaves a false flag out of its own JSON: read what the server sent
		assertThat(browser().get(uri("/realms/grants/.well-known/openid-configuration")).body())
			.contains("\"require_pushed_authorization_requests\":false");
		assertThat(metadata.getDeviceAuthorizationEndpointURI())
			.isEqualTo(uri("/realms/grants/oauth2/device_authorization"));
		assertThat(metadata.getGrantTypes()).extracting(Object::toString)
			.contains(ClientDefinition.TOKEN_EXCHANGE, ClientDefinition.DEVICE_CODE);
	}

	@Test
	void authorizeWhenParRequiredAndRequestNotPushedThenRefusedNamingTheClient() {
		OidcClient.Authorization authorization = parApp().authorization(CALLBACK, "openid profile");
		HttpResponse<String> refused = browser().get(authorization.uri());
		assertThat(refused.statusCode()).isEqualTo(400);
		JSONObject error = parse(refused.body());
		assertThat(error.get("error")).isEqualTo("invalid_request");
		assertThat((String) error.get("error_description")).contains("'par-app'", "'grants'", "/oauth2/par");
	}

	@Test
	void authorizeWhenParRequiredAndRequestPushedThenCodeIssued() {
		OidcClient parApp = parApp();
		OidcClient.Authorization authorization = parApp.authorization(CALLBACK, "openid profile");
		URI callback = browser().authorize(pushed(parApp, "par-app", authorization), "tanaka", "tanaka-test-pass");

		assertThat(callback.getHost()).isEqualTo("par.example.test");
		assertThat(parApp.exchange(callback, authorization).getOIDCTokens().getIDToken()).isNotNull();
	}

	@Test
	void pushWhenClientSecretWrongThenInvalidClient() {
		OidcClient impostor = client("grants", "par-app", "not-the-secret");
		ErrorObject error = impostor.push(impostor.authorization(CALLBACK, "openid")).toErrorResponse().getErrorObject();
		assertThat(error.getCode()).isEqualTo("invalid_client");
	}

	@Test
	void pushWhenRedirectUriNotRegisteredThenRefusedNamingRealmClientAndParameter() {
		OidcClient parApp = parApp();
		ErrorObject error = parApp.push(parApp.authorization(URI.create("https://elsewhere.example.test/cb"), "openid"))
			.toErrorResponse()
			.getErrorObject();
		assertThat(error.getCode()).isEqualTo("invalid_request");
		assertThat(error.getDescription()).contains("realm 'grants'", "client 'par-app'", "'redirect_uri'");
	}

	@Test
	void authorizeWhenPushedAcrValuesAskMoreThenSecondFactorAsked() {
		OidcClient webApp = webApp();
		OidcClient.Authorization aal2 = webApp.authorization(WEB_APP_CALLBACK, "openid",
				(request) -> request.acrValues(List.of(new ACR("urn:hitotsu:aal2"))));
		Browserless anonymous = browser();
		HttpResponse<String> toLogin = anonymous.get(pushed(webApp, "web-app", aal2));
		assertThat(location(toLogin).getPath()).isEqualTo("/realms/staff/login");
		assertThat(location(anonymous.submitLogin(location(toLogin), "tanaka", "tanaka-test-pass")).getPath())
			.as("the login the pushed acr_values ask for").isEqualTo("/realms/staff/login/second-factor");

		Browserless loggedIn = browser();
		OidcClient.Authorization plain = webApp.authorization(WEB_APP_CALLBACK, "openid");
		webApp.exchange(loggedIn.authorize(plain.uri(), "tanaka", "tanaka-test-pass"), plain);
		OidcClient.Authorization stepUp = webApp.authorization(WEB_APP_CALLBACK, "openid",
				(request) -> request.acrValues(List.of(new ACR("urn:hitotsu:aal2"))));
		assertThat(loggedIn.authorizeLoggedIn(pushed(webApp, "web-app", stepUp)).getPath())
			.as("a login below the pushed level is raised").isEqualTo("/realms/staff/login/second-factor");
	}

	@Test
	void authorizeWhenPushedPromptLoginThenLoginAskedOnceAndSessionKept() throws Exception {
		OidcClient webApp = webApp();
		Browserless browser = browser();
		OidcClient.Authorization first = webApp.authorization(WEB_APP_CALLBACK, "openid");
		String sid = webApp
			.verifyIdToken(webApp.exchange(browser.authorize(first.uri(), "suzuki", "suzuki-test-pass"), first)
				.getOIDCTokens()
				.getIDToken(), first.nonce())
			.getStringClaim("sid");

		OidcClient.Authorization promptLogin = webApp.authorization(WEB_APP_CALLBACK, "openid",
				(request) -> request.prompt(Prompt.Type.LOGIN));
		HttpResponse<String> toLogin = browser.get(pushed(webApp, "web-app", promptLogin));
		assertThat(location(toLogin).getPath()).as("the pushed prompt=login").isEqualTo("/realms/staff/login");
		URI resumed = location(browser.submitLogin(location(toLogin), "suzuki", "suzuki-test-pass"));
		URI callback = browser.authorizeLoggedIn(resumed);
		assertThat(callback.getHost()).as("answered by that login, not asked again").isEqualTo("app.example.test");
		assertThat(webApp.verifyIdToken(webApp.exchange(callback, promptLogin).getOIDCTokens().getIDToken(),
				promptLogin.nonce())
			.getStringClaim("sid")).isEqualTo(sid);

		OidcClient.Authorization anonymous = webApp.authorization(WEB_APP_CALLBACK, "openid",
				(request) -> request.prompt(Prompt.Type.LOGIN));
		assertThat(browser().authorize(pushed(webApp, "web-app", anonymous), "suzuki", "suzuki-test-pass").getHost())
			.as("a browser without a login logs in once").isEqualTo("app.example.test");
	}

	@Test
	void authorizeWhenPushedMaxAgePassedThenLoginAskedAgain() {
		OidcClient webApp = webApp();
		Browserless browser = browser();
		OidcClient.Authorization first = webApp.authorization(WEB_APP_CALLBACK, "openid");
		webApp.exchange(browser.authorize(first.uri(), "suzuki", "suzuki-test-pass"), first);
		OidcClient.Authorization maxAge = webApp.authorization(WEB_APP_CALLBACK, "openid",
				(request) -> request.maxAge(60));
		URI pushed = pushed(webApp, "web-app", maxAge);
		this.clock.advance(Duration.ofSeconds(61));
		try {
			assertThat(location(browser.get(pushed)).getPath()).isEqualTo("/realms/staff/login");
		}
		finally {
			this.clock.reset();
		}
	}

	private OidcClient webApp() {
		return client("staff", "web-app", "web-app-secret-0123456789");
	}

	/** Pushes the request; where the browser then goes: only client_id and the request_uri. */
	private static URI pushed(OidcClient client, String clientId, OidcClient.Authorization authorization) {
		PushedAuthorizationSuccessResponse pushed = client.push(authorization).toSuccessResponse();
		assertThat(pushed.getRequestURI().toString()).startsWith("urn:ietf:params:oauth:request_uri:");
		return new AuthorizationRequest.Builder(pushed.getRequestURI(), new ClientID(clientId))
			.endpointURI(client.provider().getAuthorizationEndpointURI())
			.build()
			.toURI();
	}

	private static JSONObject parse(String body) {
		try {
			return com.nimbusds.oauth2.sdk.util.JSONObjectUtils.parse(body);
		}
		catch (com.nimbusds.oauth2.sdk.ParseException ex) {
			throw new AssertionError(body, ex);
		}
	}

}
