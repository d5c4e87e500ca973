package jp.hitotsu.support;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A system of record calling the SCIM API of a realm ({@code /scim/v2/realms/{realm}}) with
 * an admin-realm access token, as an HR system would.
 */
public final class ScimApi {

	public static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";

	public static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

	public static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ServerTest server;

	private final String realm;

	private final String token;

	private String language = "en";

	public ScimApi(ServerTest server, String realm, String token) {
		this.server = server;
		this.realm = realm;
		this.token = token;
	}

	public ScimApi language(String language) {
		this.language = language;
		return this;
	}

	/** {@code GET /Users?filter=...} plus any other query parameters ({@code "&count=3"}). */
	public HttpResponse<String> filter(String filter, String more) {
		return get("/Users?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8) + more);
	}

	public HttpResponse<String> get(String path) {
		return send("GET", path, null, null);
	}

	public HttpResponse<String> send(String method, String path, String json, String ifMatch) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(this.server.uri("/scim/v2/realms/" + this.realm + path))
			.header("Accept", "application/scim+json")
			.header("Accept-Language", this.language)
			.timeout(Duration.ofSeconds(30))
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json)
					: HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/scim+json");
		}
		if (this.token != null) {
			request.header("Authorization", "Bearer " + this.token);
		}
		if (ifMatch != null) {
			request.header(method.equals("GET") ? "If-None-Match" : "If-Match", ifMatch);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** Creates a user from a JSON body and answers it; fails the test unless 201. */
	public JsonNode create(String json) {
		HttpResponse<String> response = send("POST", "/Users", json, null);
		if (response.statusCode() != 201) {
			throw new AssertionError("POST /Users answered " + response.statusCode() + ": " + response.body());
		}
		return json(response);
	}

	public static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	/** A JSON string literal (quotes and escapes) of a value. */
	public static String quote(String value) {
		return JSON.writeValueAsString(value);
	}

}
