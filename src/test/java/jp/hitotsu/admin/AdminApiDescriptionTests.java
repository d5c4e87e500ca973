package jp.hitotsu.admin;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static jp.hitotsu.support.AdminApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's OpenAPI description: public, valid OpenAPI 3, complete (every handler with
 * a summary, its roles and its problems), and true to what the API answers: junk sent to
 * every operation it lists gets a problem, never a 500.
 */
class AdminApiDescriptionTests extends ServerTest {

	/** The realm junk is sent to (src/test/resources/realms/described.yaml). */
	private static final String REALM = "described";

	private static final String JUNK = "junk\u2603";

	private final AdminApi admin = new AdminApi(this);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mappings;

	@Test
	void descriptionWhenNoTokenThenServedAsValidOpenApi() {
		HttpResponse<String> response = this.admin.get("/admin/api/openapi", null);
		assertThat(response.statusCode()).as(response::body).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(response.body(), null, null);
		assertThat(parsed.getMessages()).as("what the OpenAPI parser found wrong").isEmpty();
		assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");
		assertThat(parsed.getOpenAPI().getPaths()).isNotEmpty();
	}

	@Test
	void descriptionAsYamlThenSameDocument() {
		HttpResponse<String> response = getAccepting(uri("/admin/api/openapi.yaml"), "application/vnd.oai.openapi");
		assertThat(response.statusCode()).as(response::body).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/vnd.oai.openapi"));
		SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(response.body(), null, null);
		assertThat(parsed.getMessages()).isEmpty();
		assertThat(parsed.getOpenAPI().getPaths().keySet())
			.isEqualTo(new TreeSet<>(description().get("paths").propertyNames()));
	}

	@Test
	void everyAdminHandlerIsDescribedWithSummaryRolesAndProblems() {
		JsonNode paths = description().get("paths");
		List<String> checked = new ArrayList<>();
		Set<String> operationIds = new TreeSet<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : this.mappings.getHandlerMethods().entrySet()) {
			AdminOperation operation = mapping.getValue().getMethodAnnotation(AdminOperation.class);
			if (operation == null) {
				continue;
			}
			for (String pattern : mapping.getKey().getPatternValues()) {
				for (RequestMethod method : mapping.getKey().getMethodsCondition().getMethods()) {
					String name = method + " " + pattern;
					JsonNode described = paths.path(pattern).path(method.name().toLowerCase());
					assertThat(described.isObject()).as(name + " is described").isTrue();
					assertThat(described.path("summary").asString()).as(name + " has a summary").isNotBlank();
					assertThat(described.path("security").get(0).path(AdminOpenApi.TOKEN).valueStream()
						.map(JsonNode::asString)
						.toList()).as(name + " names the roles that allow it")
						.containsExactlyElementsOf(AdminRole.granting(operation.value()))
						.contains("super-admin");
					assertThat(described.path("x-hitotsu-permission").asString()).isEqualTo(operation.value().name());
					assertThat(operationIds.add(described.path("operationId").asString()))
						.as(name + " has an operation id of its own").isTrue();
					assertThat(described.path("responses").propertyNames()).as(name + " answers problems")
						.contains("401", "403", "404");
					checked.add(name);
				}
			}
		}
		assertThat(checked).as("admin handlers found").hasSizeGreaterThan(40);
		assertThat(paths.propertyNames()).as("nothing but the admin API")
			.allSatisfy((path) -> assertThat(path).matches("/admin/api/realms(/\\{realm\\}(/.*)?)?"));
	}

	@Test
	void problemResponsesAreRfc9457WithTheListOfBadFields() {
		JsonNode components = description().get("components");
		JsonNode badRequest = components.path("responses").path("Problem400").path("content");
		assertThat(badRequest.propertyNames()).containsExactly("application/problem+json");
		JsonNode problem = components.path("schemas").path("Problem").path("properties");
		assertThat(problem.propertyNames()).contains("type", "title", "status", "detail", "instance", "errors");
		assertThat(problem.path("errors").path("items").path("properties").propertyNames())
			.contains("field", "message");
		JsonNode scheme = components.path("securitySchemes").path(AdminOpenApi.TOKEN);
		assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
		assertThat(scheme.path("description").asString()).contains("\"staff\"");
	}

	@Test
	void junkToEveryDescribedOperationThenProblemNeverServerError() {
		String token = this.admin.token("lockout-super", "lockout-super-test-pass");
		JsonNode paths = description().get("paths");
		Set<String> refused = new TreeSet<>();
		int sent = 0;
		for (String path : paths.propertyNames()) {
			for (String method : paths.get(path).propertyNames()) {
				JsonNode operation = paths.get(path).get(method);
				for (String realm : List.of(REALM, "no-such-realm")) {
					HttpResponse<String> response = send(method, junkUri(path, realm, operation), operation, token);
					sent++;
					String name = method.toUpperCase() + " " + path + " in " + realm;
					assertThat(response.statusCode()).as(name + ": " + response.body()).isLessThan(500);
					if (response.statusCode() >= 400) {
						assertThat(response.headers().firstValue("Content-Type")).as(name)
							.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
						JsonNode problem = AdminApi.json(response);
						assertThat(problem.path("type").asString()).as(name).startsWith("urn:hitotsu:problem:");
						assertThat(problem.path("status").asInt()).as(name).isEqualTo(response.statusCode());
						assertThat(problem.path("detail").asString()).as(name).isNotBlank();
						assertThat(operation.path("responses").has(String.valueOf(response.statusCode())))
							.as(name + " answered " + response.statusCode() + ", which the description lists")
							.isTrue();
						refused.add(name);
					}
				}
				HttpResponse<String> anonymous = send(method, junkUri(path, REALM, operation), operation, null);
				assertProblem(anonymous, 401, "urn:hitotsu:problem:unauthorized");
			}
		}
		assertThat(sent).isGreaterThan(80);
		assertThat(refused).as("junk is refused").hasSizeGreaterThan(sent * 3 / 4);
	}

	@Test
	void unknownPathUnderTheApiThen404Problem() {
		String token = this.admin.token("lockout-super", "lockout-super-test-pass");
		assertProblem(this.admin.get("/admin/api/realms/" + REALM + "/no-such-thing", token), 404,
				"urn:hitotsu:problem:not-found");
	}

	@Test
	void wrongMethodThen405ProblemWithAllow() {
		String token = this.admin.token("lockout-super", "lockout-super-test-pass");
		HttpResponse<String> response = this.admin.patchJson("/admin/api/realms/" + REALM + "/clients", token, "{}");
		assertProblem(response, 405, "urn:hitotsu:problem:method-not-allowed");
		assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(
				(allow) -> assertThat(allow).contains("GET", "POST"));
	}

	@Test
	void wrongContentTypeThen415Problem() {
		String token = this.admin.token("lockout-super", "lockout-super-test-pass");
		assertProblem(this.admin.post("/admin/api/realms/" + REALM + "/clients", token, "text/plain",
				"clientId=x".getBytes(StandardCharsets.UTF_8)), 415, "urn:hitotsu:problem:unsupported-media-type");
	}

	@Test
	void bodyFieldOfWrongTypeThen400NamingTheField() {
		String token = this.admin.token("lockout-super", "lockout-super-test-pass");
		JsonNode problem = assertProblem(this.admin.postJson("/admin/api/realms/" + REALM + "/directory/role-rules",
				token, "{\"client\": \"a\", \"role\": [\"not\", \"a\", \"string\"]}"), 400,
				"urn:hitotsu:problem:invalid-request");
		assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("role");
	}

	@Test
	void bodyNotJsonThen400Problem() {
		String token = this.admin.token("lockout-super", "lockout-super-test-pass");
		JsonNode problem = assertProblem(this.admin.language("ja")
			.postJson("/admin/api/realms/" + REALM + "/directory/role-rules", token, "{\"client\": "), 400,
				"urn:hitotsu:problem:invalid-request");
		assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("body");
		assertThat(problem.path("title").asString()).isEqualTo("リクエストが正しくありません");
	}

	private JsonNode description() {
		HttpResponse<String> response = this.admin.get("/admin/api/openapi", null);
		assertThat(response.statusCode()).isEqualTo(200);
		return AdminApi.json(response);
	}

	/** The operation's URI with junk in every parameter but the realm. */
	private URI junkUri(String path, String realm, JsonNode operation) {
		String junk = URLEncoder.encode(JUNK, StandardCharsets.UTF_8);
		StringBuilder uri = new StringBuilder(base()).append(path.replace("{realm}", realm)
			.replaceAll("\\{[^}]+}", junk));
		char separator = '?';
		for (JsonNode parameter : operation.path("parameters")) {
			if ("query".equals(parameter.path("in").asString())) {
				uri.append(separator).append(parameter.path("name").asString()).append('=').append(junk);
				separator = '&';
			}
		}
		return URI.create(uri.toString());
	}

	private HttpResponse<String> getAccepting(URI uri, String accept) {
		return send(HttpRequest.newBuilder(uri).header("Accept", accept).GET(), "GET " + uri);
	}

	private HttpResponse<String> send(String method, URI uri, JsonNode operation, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.header("Accept", "application/json")
			.header("Accept-Language", "en");
		JsonNode content = operation.path("requestBody").path("content");
		if (content.isObject() && !content.propertyNames().isEmpty()) {
			request.header("Content-Type", content.propertyNames().iterator().next())
				.method(method.toUpperCase(), HttpRequest.BodyPublishers.ofString("{junk"));
		}
		else {
			request.method(method.toUpperCase(), HttpRequest.BodyPublishers.noBody());
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request, method + " " + uri);
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String name) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new AssertionError(name + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
