package jp.hitotsu.provisioning;

import java.net.http.HttpResponse;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ScimApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HR system provisioning realm "provisioned" with its own client-credentials token of
 * that realm and the scope {@code scim}, no person's login involved; and what such a token
 * may not do.
 */
class ScimClientCredentialsTests extends ServerTest {

	private static final String REALM = "provisioned";

	@Autowired
	private AuditTrail audit;

	private String token(String clientId, String secret, String scope) {
		TokenResponse response = client(REALM, clientId, secret).token(new ClientCredentialsGrant(), new Scope(scope));
		assertThat(response.indicatesSuccess()).as(() -> String.valueOf(response.toHTTPResponse().getBody())).isTrue();
		return response.toSuccessResponse().getTokens().getAccessToken().getValue();
	}

	private String feedToken() {
		return token("hr-feed", "hr-feed-secret-0123456789", "scim");
	}

	@Test
	void clientCredentialsWithScimScopeWhenProvisioningOwnRealmThenAllowedAndAuditedAsTheClient() {
		ScimApi scim = new ScimApi(this, REALM, feedToken());
		String userName = "cc-feed-" + UUID.randomUUID().toString().substring(0, 8);

		JsonNode created = scim.create("{\"schemas\": [\"" + ScimApi.USER + "\"], \"userName\": \"" + userName + "\"}");
		String id = created.get("id").stringValue();
		HttpResponse<String> found = scim.filter("userName eq \"" + userName + "\"", "");
		assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
		assertThat(ScimApi.json(found).get("totalResults").asInt()).isEqualTo(1);
		assertThat(scim.send("DELETE", "/Users/" + id, null, null).statusCode()).isEqualTo(204);

		this.audit.flush();
		assertThat(this.audit.newest(REALM, AuditEventType.ACCOUNT_CREATED, id, 5)).singleElement()
			.satisfies((event) -> {
				assertThat(event.event().clientId()).isEqualTo("hr-feed");
				assertThat(event.event().details()).containsEntry("actor", "hr-feed").containsEntry("via", "scim");
			});
	}

	@Test
	void clientCredentialsWithoutScimScopeThenForbiddenNamingRealmAndScope() {
		String report = token("hr-report", "hr-report-secret-0123456789", "reports.read");
		HttpResponse<String> refused = new ScimApi(this, REALM, report).get("/Users?count=1");
		JsonNode error = scimError(refused, 403);
		assertThat(error.get("detail").stringValue()).contains("\"provisioned\"", "scope scim");
		assertThat(scimError(new ScimApi(this, REALM, report).language("ja").get("/Users"), 403).get("detail")
			.stringValue()).contains("スコープ scim");
	}

	@Test
	void clientCredentialsOfOneRealmWhenProvisioningAnotherThenForbidden() {
		HttpResponse<String> refused = new ScimApi(this, "citizen", feedToken()).get("/Users?count=1");
		assertThat(scimError(refused, 403).get("detail").stringValue()).contains("\"citizen\"");
	}

	@Test
	void scimClientTokenWhenUsedOnTheAdminApiThenUnauthorized() {
		HttpResponse<String> refused = new AdminApi(this).get("/admin/api/realms/" + REALM + "/users?q=cc", feedToken());
		AdminApi.assertProblem(refused, 401, "urn:hitotsu:problem:invalid-token");
	}

	@Test
	void forgedOrForeignTokenThenUnauthorized() {
		String token = feedToken();
		String tampered = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
		HttpResponse<String> refused = new ScimApi(this, REALM, tampered).get("/Users");
		assertThat(scimError(refused, 401).get("detail").stringValue()).isNotBlank();
		assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(value) -> assertThat(value).contains("invalid_token"));
	}

	private static JsonNode scimError(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		JsonNode error = ScimApi.json(response);
		assertThat(error.get("schemas").get(0).stringValue()).isEqualTo(ScimApi.ERROR);
		assertThat(error.get("status").stringValue()).isEqualTo(String.valueOf(status));
		return error;
	}

}
