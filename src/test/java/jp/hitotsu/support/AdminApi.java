package jp.hitotsu.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import java.util.function.Supplier;

import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A program calling the admin API: gets an access token as the admin console would (a
 * person of the admin realm logs in through the {@code admin-console} client,
 * authorization code + PKCE) and sends JSON requests with it.
 */
public final class AdminApi {

	public static final String CLIENT_ID = "admin-console";

	public static final URI CALLBACK = URI.create("http://127.0.0.1/admin/callback");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** The server's base URL, read when needed (a test's port is known only once it runs). */
	private final Supplier<String> base;

	private String language = "en";

	private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

	public AdminApi(ServerTest server) {
		this.base = server::base;
	}

	/** The admin API of a server at a base URL ({@code http://127.0.0.1:PORT}), e.g. a server process. */
	public AdminApi(String base) {
		this.base = () -> base;
	}

	public AdminApi language(String language) {
		this.language = language;
		return this;
	}

	/** Sends this header with every request from now on (e.g. {@code X-Request-Id}). */
	public AdminApi header(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	/** The tokens a person of a realm gets through its {@code admin-console} client. */
	public OIDCTokenResponse login(String realm, String username, String password) {
		OidcClient console = new OidcClient(discover(realm), CLIENT_ID, null);
		OidcClient.Authorization authorization = console.authorization(CALLBACK, "openid");
		return console.exchange(new Browserless().authorize(authorization.uri(), username, password), authorization);
	}

	/** An admin API access token of a person of the staff realm (the admin realm). */
	public String token(String username, String password) {
		return login("staff", username, password).getOIDCTokens().getAccessToken().getValue();
	}

	private OIDCProviderMetadata discover(String realm) {
		try {
			return OIDCProviderMetadata.resolve(new Issuer(this.base.get() + "/realms/" + realm));
		}
		catch (GeneralException | IOException ex) {
			throw new AssertionError("Discovery of realm " + realm + " at " + this.base.get() + " failed", ex);
		}
	}

	private URI uri(String path) {
		return URI.create(this.base.get() + path);
	}

	public HttpResponse<String> get(String path, String token) {
		return send(HttpRequest.newBuilder(uri(path)).GET(), token);
	}

	public HttpResponse<String> post(String path, String token) {
		return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), token);
	}

	public HttpResponse<String> post(String path, String token, String contentType, byte[] body) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)), token);
	}

	public HttpResponse<String> postJson(String path, String token, String json) {
		return post(path, token, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	public HttpResponse<String> putJson(String path, String token, String json) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json)), token);
	}

	/** A JSON merge patch (RFC 7396). */
	public HttpResponse<String> patchJson(String path, String token, String json) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/merge-patch+json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(json)), token);
	}

	public HttpResponse<String> put(String path, String token) {
		return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.noBody()), token);
	}

	public HttpResponse<String> delete(String path, String token) {
		return send(HttpRequest.newBuilder(uri(path)).DELETE(), token);
	}

	/** Posts JSON and reads the answer as bytes: a file the API returns, or a problem. */
	public HttpResponse<byte[]> postForBytes(String path, String token, String json) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)), token, "*/*", HttpResponse.BodyHandlers.ofByteArray());
	}

	public static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	/** Asserts an RFC 9457 problem of the given status and type; returns it. */
	public static JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
		assertThat(response.statusCode()).as(response::body).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(value) -> assertThat(value).startsWith("application/problem+json"));
		JsonNode problem = AdminApi.json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("type").asString()).isEqualTo(type);
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).isNotBlank();
		return problem;
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String token) {
		return send(request, token, "application/json", HttpResponse.BodyHandlers.ofString());
	}

	private <T> HttpResponse<T> send(HttpRequest.Builder request, String token, String accept,
			HttpResponse.BodyHandler<T> body) {
		request.header("Accept", accept).header("Accept-Language", this.language);
		this.headers.forEach(request::header);
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), body);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
