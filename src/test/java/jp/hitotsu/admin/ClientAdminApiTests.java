package jp.hitotsu.admin;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.Tokens;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.RealmDefinition;
import jp.hitotsu.realm.RealmDefinitionLoader;
import jp.hitotsu.realm.RealmProvisionedEvent;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

import static jp.hitotsu.support.AdminApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients registered, changed and deleted through the admin API, used as a relying party
 * uses them (Nimbus SDK), while the realm file's clients stay the file's.
 */
class ClientAdminApiTests extends ServerTest {

	private static final String REALM = "guarded";

	private static final String CLIENTS = "/admin/api/realms/" + REALM + "/clients";

	private static final URI CALLBACK = URI.create("http://127.0.0.1/api-client/callback");

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private AuditTrail audit;

	@Autowired
	private ApplicationEventPublisher events;

	@Test
	void registerWhenConfidentialThenClientCredentialsAndLoginWorkAndTheChangeIsAudited() {
		String token = realmAdmin();
		String clientId = newClientId();
		HttpResponse<String> created = this.admin.postJson(CLIENTS, token, confidential(clientId));
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		JsonNode body = AdminApi.json(created);
		String secret = body.get("secret").asString();
		assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
		assertThat(body.get("client").get("source").asString()).isEqualTo("admin-api");
		assertThat(body.get("client").get("type").asString()).isEqualTo("confidential");

		OidcClient client = client(REALM, clientId, secret);
		assertThat(clientCredentials(client).indicatesSuccess()).as("a client credentials token").isTrue();
		OidcClient.Authorization authorization = client.authorization(CALLBACK, "openid profile");
		Tokens tokens = client
			.exchange(browser().authorize(authorization.uri(), "client-api-user", "client-api-user-test-pass"),
					authorization)
			.getOIDCTokens();
		assertThat(client.userInfo(tokens.getAccessToken()).indicatesSuccess()).as("a login").isTrue();
		assertThat(client.refresh(tokens.getRefreshToken()).indicatesSuccess()).isTrue();

		HttpResponse<String> shown = this.admin.get(CLIENTS + "/" + clientId, token);
		assertThat(shown.statusCode()).isEqualTo(200);
		assertThat(shown.body()).doesNotContain(secret);
		assertThat(AdminApi.json(shown).has("secret")).isFalse();
		assertThat(AdminApi.json(shown).get("redirectUris").get(0).asString()).isEqualTo(CALLBACK.toString());

		assertThat(this.audit.newest(REALM, AuditEventType.ADMIN_CHANGE, null, 100))
			.filteredOn((event) -> clientId.equals(event.event().details().get("client")))
			.extracting((event) -> event.event().details().get("action"))
			.containsExactly("register-client");
	}

	@Test
	void rotateSecretThenTheOldIsRefusedAndTheNewAccepted() {
		String token = realmAdmin();
		String clientId = newClientId();
		String oldSecret = register(token, confidential(clientId));

		HttpResponse<String> rotated = this.admin.post(CLIENTS + "/" + clientId + "/secret", token);
		assertThat(rotated.statusCode()).as(rotated::body).isEqualTo(200);
		String newSecret = AdminApi.json(rotated).get("secret").asString();
		assertThat(newSecret).isNotEqualTo(oldSecret);

		TokenResponse withOld = clientCredentials(client(REALM, clientId, oldSecret));
		assertThat(withOld.indicatesSuccess()).as("the old secret").isFalse();
		assertThat(withOld.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_client");
		assertThat(clientCredentials(client(REALM, clientId, newSecret)).indicatesSuccess()).as("the new secret")
			.isTrue();
	}

	@Test
	void updateThenTheNewSettingsAreServed() {
		String token = realmAdmin();
		String clientId = newClientId();
		String secret = register(token, confidential(clientId));
		HttpResponse<String> updated = this.admin.putJson(CLIENTS + "/" + clientId, token, """
				{"name": "Reports", "grantTypes": ["client_credentials"], "scopes": ["reports.read"],
				 "accessTokenLifetime": "2m"}
				""");
		assertThat(updated.statusCode()).as(updated::body).isEqualTo(200);
		assertThat(AdminApi.json(updated).get("accessTokenLifetime").asString()).isEqualTo("PT2M");

		OidcClient client = client(REALM, clientId, secret);
		TokenResponse response = client.token(new ClientCredentialsGrant(), new Scope("reports.read"));
		assertThat(response.indicatesSuccess()).as("the secret stays").isTrue();
		assertThat(((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken().getLifetime())
			.isBetween(100L, 120L);
		assertThat(client.token(new ClientCredentialsGrant(), new Scope("openid")).indicatesSuccess())
			.as("a scope no longer allowed").isFalse();
	}

	@Test
	void deleteThenTheClientAndItsRefreshTokensAreRefused() {
		String token = realmAdmin();
		String clientId = newClientId();
		String secret = register(token, confidential(clientId));
		OidcClient client = client(REALM, clientId, secret);
		OidcClient.Authorization authorization = client.authorization(CALLBACK, "openid");
		Tokens tokens = client
			.exchange(browser().authorize(authorization.uri(), "client-api-user", "client-api-user-test-pass"),
					authorization)
			.getOIDCTokens();

		assertThat(this.admin.delete(CLIENTS + "/" + clientId, token).statusCode()).isEqualTo(204);

		assertThat(clientCredentials(client).indicatesSuccess()).isFalse();
		assertThat(client.refresh(tokens.getRefreshToken()).indicatesSuccess()).isFalse();
		assertProblem(this.admin.get(CLIENTS + "/" + clientId, token), 404, "urn:hitotsu:problem:unknown-client");
		assertProblem(this.admin.delete(CLIENTS + "/" + clientId, token), 404, "urn:hitotsu:problem:unknown-client");
	}

	@Test
	void registerWhenPublicThenNoSecretAndPkceRequired() {
		String token = realmAdmin();
		String clientId = newClientId();
		HttpResponse<String> created = this.admin.postJson(CLIENTS, token, """
				{"clientId": "%s", "type": "public", "grantTypes": ["authorization_code"],
				 "redirectUris": ["%s"], "scopes": ["openid"]}
				""".formatted(clientId, CALLBACK));
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		JsonNode body = AdminApi.json(created);
		assertThat(body.get("secret").isNull()).isTrue();
		assertThat(body.get("client").get("requirePkce").asBoolean()).isTrue();
		assertThat(body.get("client").get("authenticationMethod").asString()).isEqualTo("none");

		OidcClient client = client(REALM, clientId, null);
		OidcClient.Authorization authorization = client.authorization(CALLBACK, "openid");
		assertThat(client
			.exchange(browser().authorize(authorization.uri(), "client-api-user", "client-api-user-test-pass"),
					authorization)
			.getOIDCTokens()
			.getIDToken()).isNotNull();
		assertProblem(this.admin.post(CLIENTS + "/" + clientId + "/secret", token), 400,
				"urn:hitotsu:problem:invalid-request");
	}

	@Test
	void registerWhenInputIsBadThen400ListingEachFieldInTheCallersLanguage() {
		String token = realmAdmin();
		String bad = """
				{"clientId": "bad id!", "type": "secret", "grantTypes": ["implicit", "client_credentials"],
				 "redirectUris": ["not a uri"], "postLogoutRedirectUris": ["https://rp.example.test/#x"],
				 "scopes": ["bad\\"scope"], "accessTokenLifetime": "1h", "refreshTokenLifetime": "soon"}
				""";
		JsonNode english = assertProblem(this.admin.postJson(CLIENTS, token, bad), 400,
				"urn:hitotsu:problem:invalid-request");
		assertThat(english.get("errors")).extracting((error) -> error.get("field").asString())
			.containsExactlyInAnyOrder("clientId", "type", "grantTypes[0]", "redirectUris[0]",
					"postLogoutRedirectUris[0]", "scopes[0]", "accessTokenLifetime", "refreshTokenLifetime");
		assertThat(message(english, "accessTokenLifetime")).contains("1h").contains("PT5M").contains("realm's limit");
		assertThat(message(english, "type")).contains("secret").contains("confidential, public");

		JsonNode japanese = assertProblem(new AdminApi(this).language("ja").postJson(CLIENTS, token, bad), 400,
				"urn:hitotsu:problem:invalid-request");
		assertThat(message(japanese, "accessTokenLifetime")).contains("レルムの上限");
		assertThat(japanese.get("detail").asString()).doesNotContain("Some parameters");

		JsonNode crossField = assertProblem(this.admin.postJson(CLIENTS, token, """
				{"clientId": "%s", "type": "public", "grantTypes": ["authorization_code", "client_credentials"],
				 "authenticationMethod": "client_secret_basic"}
				""".formatted(newClientId())), 400, "urn:hitotsu:problem:invalid-request");
		assertThat(crossField.get("errors")).extracting((error) -> error.get("field").asString())
			.containsExactlyInAnyOrder("authenticationMethod", "grantTypes[1]", "redirectUris");
		assertThat(this.admin.get(CLIENTS + "/bad%20id!", token).statusCode()).isEqualTo(404);
	}

	@Test
	void changeWhenClientComesFromTheRealmFileThen409AndItStaysAsTheFileSays() {
		String token = this.admin.token("lockout-super", "lockout-super-test-pass");
		JsonNode deleted = assertProblem(this.admin.delete("/admin/api/realms/staff/clients/batch", token), 409,
				"urn:hitotsu:problem:client-in-realm-file");
		assertThat(deleted.get("detail").asString()).contains("\"batch\"").contains("realm file").contains("\"staff\"");
		assertProblem(this.admin.putJson("/admin/api/realms/staff/clients/batch", token, """
				{"grantTypes": ["client_credentials"]}"""), 409, "urn:hitotsu:problem:client-in-realm-file");
		assertProblem(this.admin.post("/admin/api/realms/staff/clients/batch/secret", token), 409,
				"urn:hitotsu:problem:client-in-realm-file");
		JsonNode batch = AdminApi.json(this.admin.get("/admin/api/realms/staff/clients/batch", token));
		assertThat(batch.get("source").asString()).isEqualTo("realm-file");
		assertThat(client("staff", "batch", "batch-secret-0123456789")
			.token(new ClientCredentialsGrant(), new Scope("reports.read"))
			.indicatesSuccess()).as("the file's secret still works").isTrue();
		assertProblem(this.admin.postJson("/admin/api/realms/staff/clients", token, confidential("batch")), 409,
				"urn:hitotsu:problem:client-exists");
	}

	@Test
	void provisioningTheRealmFilesAgainLeavesClientsOfTheApiAlone() throws Exception {
		String token = realmAdmin();
		String clientId = newClientId();
		String secret = register(token, confidential(clientId));

		// what a process starting with the realm files does, with a file client of the same id
		RealmDefinition file = new RealmDefinitionLoader().load(Path.of("src/test/resources/realms/guarded.yaml"));
		List<ClientDefinition> clients = new ArrayList<>(file.clients());
		clients.add(new ClientDefinition(clientId, "From the file", "file-secret-0123456789", null, null,
				List.of("client_credentials"), null, null, List.of("openid"), null, false, null, null, null, null,
				null, null, null, false, false, null, null, false, null, false, false, null));
		this.events.publishEvent(new RealmProvisionedEvent(new RealmDefinition(file.name(), file.zone(),
				file.displayName(), file.tokens(), file.login(), file.passwordPolicy(), file.bruteForce(),
				file.policies(), file.audit(), clients, file.users(), file.registration(), file.profile(),
				file.upstreamProviders())));

		assertThat(clientCredentials(client(REALM, clientId, secret)).indicatesSuccess()).as("the API's secret")
			.isTrue();
		assertThat(clientCredentials(client(REALM, clientId, "file-secret-0123456789")).indicatesSuccess())
			.as("the file's secret").isFalse();
		assertThat(AdminApi.json(this.admin.get(CLIENTS + "/" + clientId, token)).get("source").asString())
			.isEqualTo("admin-api");
	}

	@Test
	void listWhenPagedThenEveryClientOnceInClientIdOrder() {
		String token = realmAdmin();
		String prefix = "page-" + UUID.randomUUID().toString().substring(0, 8) + "-";
		for (String suffix : List.of("c", "a", "b")) {
			register(token, confidential(prefix + suffix));
		}
		List<String> seen = new ArrayList<>();
		String after = null;
		do {
			HttpResponse<String> page = this.admin
				.get(CLIENTS + "?limit=2" + ((after != null) ? "&after=" + after : ""), token);
			assertThat(page.statusCode()).as(page::body).isEqualTo(200);
			JsonNode body = AdminApi.json(page);
			body.get("clients").forEach((client) -> seen.add(client.get("clientId").asString()));
			after = body.get("next").isNull() ? null : body.get("next").asString();
		}
		while (after != null);
		assertThat(seen).isSorted().doesNotHaveDuplicates().contains(prefix + "a", prefix + "b", prefix + "c");
		JsonNode badLimit = assertProblem(this.admin.get(CLIENTS + "?limit=0", token), 400,
				"urn:hitotsu:problem:invalid-request");
		assertThat(badLimit.get("errors").get(0).get("field").asString()).isEqualTo("limit");
	}

	@Test
	void clientsWhenHelpdeskThen403AndNothingRegistered() {
		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		String clientId = newClientId();
		assertProblem(this.admin.get(CLIENTS, helpdesk), 403, "urn:hitotsu:problem:forbidden");
		assertProblem(this.admin.postJson(CLIENTS, helpdesk, confidential(clientId)), 403,
				"urn:hitotsu:problem:forbidden");
		assertProblem(this.admin.get(CLIENTS + "/" + clientId, realmAdmin()), 404,
				"urn:hitotsu:problem:unknown-client");
		assertProblem(this.admin.get("/admin/api/realms/citizen/clients", realmAdmin()), 403,
				"urn:hitotsu:problem:forbidden");
	}
	@Test
	void registerWhenParRequiredAndExchangePairsGivenThenShownAndEnforced() {
		String token = realmAdmin();
		String clientId = newClientId();
		HttpResponse<String> created = this.admin.postJson(CLIENTS, token, """
				{"clientId": "%s", "type": "confidential",
				 "grantTypes": ["authorization_code", "urn:ietf:params:oauth:grant-type:token-exchange"],
				 "redirectUris": ["%s"], "scopes": ["openid"], "requirePushedAuthorizationRequests": true,
				 "tokenExchangeAudiences": ["reports-api"]}
				""".formatted(clientId, CALLBACK));
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		JsonNode client = AdminApi.json(this.admin.get(CLIENTS + "/" + clientId, token));
		assertThat(client.get("requirePushedAuthorizationRequests").asBoolean()).isTrue();
		assertThat(client.get("tokenExchangeAudiences").get(0).asString()).isEqualTo("reports-api");

		HttpResponse<String> notPushed = browser()
			.get(client(REALM, clientId, "unused").authorization(CALLBACK, "openid").uri());
		assertThat(notPushed.statusCode()).isEqualTo(400);
		assertThat(notPushed.body()).contains(clientId).contains("PAR");

		JsonNode unpaired = assertProblem(this.admin.postJson(CLIENTS, token, """
				{"clientId": "%s", "grantTypes": ["urn:ietf:params:oauth:grant-type:token-exchange"],
				 "tokenExchangeAudiences": ["bad id!"]}
				""".formatted(newClientId())), 400, "urn:hitotsu:problem:invalid-request");
		assertThat(unpaired.get("errors")).extracting((error) -> error.get("field").asString())
			.containsExactly("tokenExchangeAudiences[0]");
	}


	private String realmAdmin() {
		return this.admin.token("lockout-realm-admin", "lockout-realm-admin-test-pass");
	}

	private String register(String token, String json) {
		HttpResponse<String> created = this.admin.postJson(CLIENTS, token, json);
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		return AdminApi.json(created).get("secret").asString();
	}

	private static String newClientId() {
		return "api-" + UUID.randomUUID();
	}

	private static String confidential(String clientId) {
		return """
				{"clientId": "%s", "name": "API client", "type": "confidential",
				 "grantTypes": ["authorization_code", "refresh_token", "client_credentials"],
				 "redirectUris": ["%s"], "scopes": ["openid", "profile", "reports.read"], "roles": ["viewer"]}
				""".formatted(clientId, CALLBACK);
	}

	private static TokenResponse clientCredentials(OidcClient client) {
		return client.token(new ClientCredentialsGrant(), new Scope("openid"));
	}

	private static String message(JsonNode problem, String field) {
		for (JsonNode error : problem.get("errors")) {
			if (error.get("field").asString().equals(field)) {
				return error.get("message").asString();
			}
		}
		throw new AssertionError("No error for field " + field + " in " + problem);
	}

}
