package jp.hitotsu.console;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API as the console calls it: with the logged-in administrator's access token
 * and language, over loopback. A refusal comes back as {@link AdminApiException} carrying
 * the API's problem (already worded in the administrator's language).
 *
 * <p>The console is a public client, which gets no refresh token. When the access token
 * has expired (or the API no longer accepts it), the console logs in again: the browser is
 * sent through the realm's authorization endpoint, where its realm login usually still
 * holds, and then back to the page it asked for.
 */
@ConsoleServed
@Component
class AdminApi {

	/** A token this close to its expiry could lapse on its way: renew it first. */
	private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {
	};

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ConsoleSecurityConfiguration.ConsoleServer server;

	private final OAuth2AuthorizedClientRepository authorizedClients;

	private final RestClient client;

	private final MessageSource messages;

	AdminApi(ConsoleSecurityConfiguration.ConsoleServer server, OAuth2AuthorizedClientRepository authorizedClients,
			MessageSource messages) {
		this.server = server;
		this.messages = messages;
		this.authorizedClients = authorizedClients;
		this.client = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory())
			// every answer is read here: a problem becomes an AdminApiException below
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	/** A JSON object, from {@code GET /admin/api} + the path (a URI template). */
	Map<String, Object> object(String path, Object... variables) {
		return exchange(HttpMethod.GET, path, null, variables).as(OBJECT);
	}

	/** A JSON array, from {@code GET /admin/api} + the path. */
	List<Map<String, Object>> list(String path, Object... variables) {
		return exchange(HttpMethod.GET, path, null, variables).as(LIST);
	}

	/** A JSON object, from {@code GET} with query parameters (absent or blank ones left out). */
	Map<String, Object> query(String path, Map<String, ?> parameters, Object... variables) {
		return exchange(HttpMethod.GET, path, null, parameters, variables).as(OBJECT);
	}

	/**
	 * Sends a change with a JSON body (or none) and returns the answer's JSON object, empty
	 * for 204.
	 */
	Map<String, Object> send(HttpMethod method, String path, Object body, Object... variables) {
		return exchange(method, path, body, variables).as(OBJECT);
	}

	/**
	 * Sends a change of something read before at a version ({@code If-Match: W/"version"}):
	 * the API answers 412 ({@code precondition-failed}) when someone changed it since.
	 */
	Map<String, Object> sendIfMatch(HttpMethod method, String path, Object body, Object version,
			Object... variables) {
		if (!String.valueOf(version).matches("\\d{1,18}")) {
			// a version is what the form was given; anything else was not typed by our page
			throw AdminApiException.of(HttpServletResponse.SC_BAD_REQUEST,
					unexplained(HttpServletResponse.SC_BAD_REQUEST));
		}
		return call(method, path, Map.of(), variables, (spec) -> {
			spec.header(HttpHeaders.IF_MATCH, "W/\"" + version + "\"");
			return (body != null) ? spec.contentType(MediaType.APPLICATION_JSON).body(body) : spec;
		}).as(OBJECT);
	}

	/** Sends a body of another media type (a CSV upload) and returns the answer's JSON object. */
	Map<String, Object> upload(String path, MediaType type, byte[] body, Object... variables) {
		return call(HttpMethod.POST, path, Map.of(), variables, (spec) -> spec.contentType(type).body(body))
			.as(OBJECT);
	}

	private Answer exchange(HttpMethod method, String path, Object body, Object... variables) {
		return exchange(method, path, body, Map.of(), variables);
	}

	private Answer exchange(HttpMethod method, String path, Object body, Map<String, ?> parameters,
			Object... variables) {
		return call(method, path, parameters, variables,
				(spec) -> (body != null) ? spec.contentType(MediaType.APPLICATION_JSON).body(body) : spec);
	}

	private Answer call(HttpMethod method, String path, Map<String, ?> parameters, Object[] variables,
			UnaryOperator<RestClient.RequestBodySpec> withBody) {
		OAuth2AuthorizedClient authorized = currentClient();
		RestClient.RequestBodySpec spec = this.client.method(method)
			.uri(uri(path, parameters, variables))
			.headers((headers) -> {
				headers.setBearerAuth(authorized.getAccessToken().getTokenValue());
				headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
				headers.set(HttpHeaders.ACCEPT_LANGUAGE, LocaleContextHolder.getLocale().toLanguageTag());
			});
		return withBody.apply(spec).exchange((request, response) -> {
			byte[] content = response.getBody().readAllBytes();
			int status = response.getStatusCode().value();
			if (status == HttpServletResponse.SC_UNAUTHORIZED) {
				// the token was refused after all (its key rotated away, its grant ended): log in again
				forget(authorized);
				throw new ClientAuthorizationRequiredException(ConsoleSecurityConfiguration.REGISTRATION_ID);
			}
			if (status >= 400) {
				// a problem is JSON; a refusal before the API (the firewall's 400 for a path it
				// will not route) is a page, whose status is all there is to tell
				MediaType type = response.getHeaders().getContentType();
				boolean json = content.length > 0 && type != null && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
						|| type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
				throw AdminApiException.of(status, json ? read(content, OBJECT, status) : unexplained(status));
			}
			return new Answer(content, status);
		}, false);
	}

	/**
	 * The administrator's token, or a new login when it has lapsed. Its expiry is compared
	 * with the system clock, which the authorization server stamps tokens with.
	 */
	private OAuth2AuthorizedClient currentClient() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes())
			.getRequest();
		OAuth2AuthorizedClient authorized = this.authorizedClients
			.loadAuthorizedClient(ConsoleSecurityConfiguration.REGISTRATION_ID, authentication, request);
		Instant expiresAt = (authorized != null) ? authorized.getAccessToken().getExpiresAt() : null;
		if (authorized == null || (expiresAt != null && expiresAt.minus(EXPIRY_MARGIN).isBefore(Instant.now()))) {
			if (authorized != null) {
				forget(authorized);
			}
			throw new ClientAuthorizationRequiredException(ConsoleSecurityConfiguration.REGISTRATION_ID);
		}
		return authorized;
	}

	/**
	 * The API's URI: the path template expanded with the variables, and each non-blank
	 * query parameter, every value encoded as data (a typed "{x}" or "+" stays what was
	 * typed rather than becoming a template variable or a space).
	 */
	private URI uri(String path, Map<String, ?> parameters, Object[] variables) {
		List<Object> values = new ArrayList<>(Arrays.asList(variables));
		UriComponentsBuilder builder = UriComponentsBuilder
			.fromUriString(this.server.url().resolve("/admin/api").toString() + path);
		parameters.forEach((name, value) -> {
			if (value != null && !value.toString().isBlank()) {
				builder.queryParam(name, "{query" + values.size() + "}");
				values.add(value);
			}
		});
		return builder.encode().buildAndExpand(values.toArray()).toUri();
	}

	private void forget(OAuth2AuthorizedClient authorized) {
		ServletRequestAttributes attributes = (ServletRequestAttributes) RequestContextHolder.currentRequestAttributes();
		this.authorizedClients.removeAuthorizedClient(authorized.getClientRegistration().getRegistrationId(),
				SecurityContextHolder.getContext().getAuthentication(), attributes.getRequest(),
				attributes.getResponse());
	}

	/** JSON of the API; a body that is not (a proxy's page, a cut answer) is a refusal, not a 500. */
	private <T> T read(byte[] content, TypeReference<T> type, int status) {
		try {
			return JSON.readValue(content, type);
		}
		catch (JacksonException ex) {
			throw AdminApiException.of((status < 400) ? HttpServletResponse.SC_BAD_GATEWAY : status,
					unexplained(status));
		}
	}

	/** The refusal's words when the API gave none. */
	private Map<String, Object> unexplained(int status) {
		return Map.of("detail", this.messages.getMessage("console.problem.generic", new Object[] { status },
				LocaleContextHolder.getLocale()));
	}

	/** An answer's body, read once the connection is done with. */
	private final class Answer {

		private final byte[] content;

		private final int status;

		Answer(byte[] content, int status) {
			this.content = content;
			this.status = status;
		}

		/** The body as JSON; for an empty body (204), an empty value. */
		<T> T as(TypeReference<T> type) {
			byte[] body = (this.content.length == 0)
					? ((type == LIST) ? "[]" : "{}").getBytes(StandardCharsets.US_ASCII) : this.content;
			return read(body, type, this.status);
		}

	}

}
