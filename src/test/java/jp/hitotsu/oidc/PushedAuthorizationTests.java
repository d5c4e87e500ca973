package jp.hitotsu.oidc;

import java.net.URI;
import java.net.http.HttpResponse;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushed authorization requests (RFC 9126): offered to every client, required of
 * {@code par-app} (realm {@code grants}, {@code require-pushed-authorization-requests}).
 */
class PushedAuthorizationTests extends ServerTest {

	private static final URI CALLBACK = URI.create("https://par.example.test/callback");

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
		PushedAuthorizationSuccessResponse pushed = parApp.push(authorization).toSuccessResponse();
		assertThat(pushed.getRequestURI().toString()).startsWith("urn:ietf:params:oauth:request_uri:");
		URI byReference = new AuthorizationRequest.Builder(pushed.getRequestURI(), new ClientID("par-app"))
			.endpointURI(parApp.provider().getAuthorizationEndpointURI())
			.build()
			.toURI();

		URI callback = browser().authorize(byReference, "tanaka", "tanaka-test-pass");

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

	private static JSONObject parse(String body) {
		try {
			return com.nimbusds.oauth2.sdk.util.JSONObjectUtils.parse(body);
		}
		catch (com.nimbusds.oauth2.sdk.ParseException ex) {
			throw new AssertionError(body, ex);
		}
	}

}
