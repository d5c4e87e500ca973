package jp.hitotsu.admin;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * The admin API's OpenAPI description ({@code /admin/api/openapi}), built by springdoc from
 * the controllers on its first request, never at start. What springdoc cannot see is added
 * here from the code that enforces it: the bearer token of the admin realm, the roles that
 * allow each operation ({@link AdminOperation}, {@link AdminRole}) and the RFC 9457 problems
 * every operation may answer ({@link AdminProblems}).
 */
@Configuration(proxyBeanMethods = false)
class AdminOpenApi {

	static final String TOKEN = "adminToken";

	private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	private static final String PROBLEM = "Problem";

	@Bean
	OpenAPI adminApiDescription(AdminProperties properties) {
		return new OpenAPI()
			.info(new Info().title("Hitotsu admin API")
				.version("1")
				.description("JSON under /admin/api/realms/{realm}/... for the admin console and scripts. "
						+ "Errors are RFC 9457 problem details (application/problem+json) in the caller's "
						+ "language (Accept-Language: ja or en); a 400 lists each bad field in `errors`. "
						+ "Lists are pages in a stable order. SCIM 2.0 (/scim/v2/realms/{realm}) describes "
						+ "itself at its own /ServiceProviderConfig, /ResourceTypes and /Schemas."))
			.components(new Components().addSecuritySchemes(TOKEN, tokenScheme(properties))
				.addSchemas(PROBLEM, problemSchema())
				.responses(problemResponses()));
	}

	/**
	 * Adds to each handler what its annotations and the security layer decide: who may call
	 * it and which problems it can answer.
	 */
	@Bean
	OperationCustomizer adminOperations() {
		return (operation, handler) -> {
			AdminOperation admin = handler.getMethodAnnotation(AdminOperation.class);
			if (admin == null) {
				return operation;
			}
			// one tag per controller ("Account lock"), and ids unique across them ("clientList")
			String resource = handler.getBeanType().getSimpleName().replace("Controller", "");
			operation.setTags(List.of(String.join(" ", resource.split("(?<=[a-z])(?=[A-Z])"))));
			operation.setOperationId(Character.toLowerCase(resource.charAt(0)) + resource.substring(1)
					+ Character.toUpperCase(handler.getMethod().getName().charAt(0))
					+ handler.getMethod().getName().substring(1));
			List<String> roles = AdminRole.granting(admin.value());
			operation.addSecurityItem(new SecurityRequirement().addList(TOKEN, roles));
			operation.addExtension("x-hitotsu-permission", admin.value().name());
			String needs = "Needs " + admin.value().name() + " (" + admin.value().description()
					+ ") in the realm of the path: one of the roles "
					+ roles.stream().map((role) -> "`" + role + "`").collect(Collectors.joining(", "))
					+ " (a role without `:realm` holds in every realm of the zone).";
			operation.setDescription(
					(operation.getDescription() != null) ? operation.getDescription() + "\n\n" + needs : needs);
			addProblems(operation, handler);
			return operation;
		};
	}

	private static void addProblems(Operation operation, HandlerMethod handler) {
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses()
				: new ApiResponses();
		List<Parameter> parameters = (operation.getParameters() != null) ? operation.getParameters() : List.of();
		boolean takesInput = operation.getRequestBody() != null
				|| parameters.stream().anyMatch((parameter) -> !"realm".equals(parameter.getName()));
		if (takesInput) {
			responses.addApiResponse("400", ref(HttpStatus.BAD_REQUEST));
		}
		responses.addApiResponse("401", ref(HttpStatus.UNAUTHORIZED));
		responses.addApiResponse("403", ref(HttpStatus.FORBIDDEN));
		responses.addApiResponse("404", ref(HttpStatus.NOT_FOUND));
		if (!handler.hasMethodAnnotation(GetMapping.class)) {
			responses.addApiResponse("409", ref(HttpStatus.CONFLICT));
		}
		if (parameters.stream().anyMatch((parameter) -> HttpHeaders.IF_MATCH.equalsIgnoreCase(parameter.getName()))) {
			responses.addApiResponse("412", ref(HttpStatus.PRECONDITION_FAILED));
		}
		operation.setResponses(responses);
	}

	private static ApiResponse ref(HttpStatus status) {
		return new ApiResponse().$ref("#/components/responses/" + responseName(status));
	}

	private static String responseName(HttpStatus status) {
		return "Problem" + status.value();
	}

	private static SecurityScheme tokenScheme(AdminProperties properties) {
		return new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.bearerFormat("JWT")
			.description("An access token of realm \"" + properties.realm() + "\" (its issuer is /realms/"
					+ properties.realm() + ") issued to one of the clients " + properties.clients()
					+ " (authorization code + PKCE). Its `roles` claim holds the admin roles; each operation "
					+ "lists the roles that allow it. Any other token is refused with 401.");
	}

	private static Schema<?> problemSchema() {
		Schema<?> fieldError = new ObjectSchema().description("One bad field or parameter, or one bad line of a file")
			.addProperty("field", new StringSchema().description("the field, parameter or column"))
			.addProperty("line", new IntegerSchema().description("the line of an uploaded file, when one"))
			.addProperty("message", new StringSchema().description("what is wrong, in the caller's language"));
		return new ObjectSchema().description("An RFC 9457 problem detail")
			.addProperty("type", new StringSchema().format("uri")
				.description("what went wrong, for programs: urn:hitotsu:problem:..."))
			.addProperty("title", new StringSchema().description("the status in words"))
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema().description("what went wrong, naming the realm, user or client"))
			.addProperty("instance", new StringSchema().format("uri-reference"))
			.addProperty(AdminProblems.ERRORS, new ArraySchema().items(fieldError)
				.description("400 only: each bad field, parameter or line"))
			.addProperty("conflicts", new ArraySchema().items(new StringSchema())
				.description("409 directory-conflict only: what stands in the way"))
			.required(List.of("type", "title", "status", "detail"));
	}

	private static Map<String, ApiResponse> problemResponses() {
		Map<HttpStatus, String> meanings = Map.of(
				HttpStatus.BAD_REQUEST, "Bad input: `errors` lists every bad field, parameter or line",
				HttpStatus.UNAUTHORIZED, "No access token, or one not of the admin realm and its admin clients",
				HttpStatus.FORBIDDEN, "The token's roles do not allow this operation in this realm",
				HttpStatus.NOT_FOUND, "No such realm (in this zone), user, client or entry: the problem names it",
				HttpStatus.CONFLICT, "The realm's current state does not allow it: the problem's `type` says why",
				HttpStatus.PRECONDITION_FAILED, "The resource changed since the version If-Match names");
		Map<String, ApiResponse> responses = new java.util.TreeMap<>();
		meanings.forEach((status, meaning) -> responses.put(responseName(status),
				new ApiResponse().description(meaning)
					.content(new Content().addMediaType(PROBLEM_JSON,
							new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))))));
		return responses;
	}

}
