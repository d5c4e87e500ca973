package jp.hitotsu.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser without a screen: keeps cookies, does not follow redirects by itself, and
 * fills the login form as a person would (finding it in the page, CSRF token included).
 */
public final class Browserless {

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private String acceptLanguage = "ja";

	/** Java's own unless a test names a browser. */
	private String userAgent;

	public Browserless language(String language) {
		this.acceptLanguage = language;
		return this;
	}

	/** The {@code User-Agent} header it sends, as a real browser names itself. */
	public Browserless userAgent(String userAgent) {
		this.userAgent = userAgent;
		return this;
	}

	public HttpResponse<String> get(URI uri) {
		return send(HttpRequest.newBuilder(uri).GET());
	}

	public HttpResponse<String> post(URI uri, Map<String, String> form) {
		return post(uri, List.copyOf(form.entrySet()));
	}

	/** Posts a form whose fields may repeat, as a browser does for checkboxes. */
	public HttpResponse<String> post(URI uri, List<Map.Entry<String, String>> form) {
		return send(formPost(uri, form));
	}

	/** A form post as a browser sends it ({@code application/x-www-form-urlencoded}, UTF-8). */
	public static HttpRequest.Builder formPost(URI uri, Collection<? extends Map.Entry<String, String>> form) {
		String body = form.stream()
			.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	/**
	 * Posts a form with a file ({@code multipart/form-data}) as a browser sends it: the
	 * form's fields, then the file under {@code fileField}.
	 */
	public HttpResponse<String> postFile(URI uri, Map<String, String> fields, String fileField, String fileName,
			String contentType, byte[] content) {
		String boundary = "----hitotsu-test-" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
				+ name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
				+ "\"; filename=\"" + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
	}

	/**
	 * Takes an authorization request through the realm's login form and returns where the
	 * server finally redirects the browser: the client's redirect URI, with a code or an
	 * error.
	 */
	public URI authorize(URI authorizationRequest, String username, String password) {
		HttpResponse<String> toLogin = get(authorizationRequest);
		assertThat(toLogin.statusCode()).as("authorization request redirects to the login page").isEqualTo(302);
		URI loginPage = location(toLogin);
		assertThat(loginPage.getPath()).endsWith("/login");
		HttpResponse<String> afterLogin = submitLogin(loginPage, username, password);
		assertThat(afterLogin.statusCode()).as("login succeeds and resumes the authorization").isEqualTo(302);
		return authorizeLoggedIn(location(afterLogin));
	}

	/** An authorization request of a browser already logged in: where it is sent. */
	public URI authorizeLoggedIn(URI authorizationRequest) {
		HttpResponse<String> response = get(authorizationRequest);
		assertThat(response.statusCode()).as("authorization response redirect").isEqualTo(302);
		return location(response);
	}

	/** Fills and posts the login form found at the page. */
	public HttpResponse<String> submitLogin(URI loginPage, String username, String password) {
		FilledForm form = fillLogin(loginPage, username, password);
		return post(form.action(), form.fields());
	}

	/** Gets the login page and fills its form (CSRF token included), without posting it. */
	public FilledForm fillLogin(URI loginPage, String username, String password) {
		return fillLogin(get(loginPage), username, password);
	}

	/** Fills the login form of a login page got by any client. */
	public static FilledForm fillLogin(HttpResponse<String> page, String username, String password) {
		assertThat(page.statusCode()).isEqualTo(200);
		return fill(page, "form.login-form", Map.of("username", username, "password", password));
	}

	/** Opens the page and posts the form the selector finds in it (see {@link #submit}). */
	public HttpResponse<String> submitForm(URI pageUri, String formSelector, Map<String, String> values) {
		HttpResponse<String> page = get(pageUri);
		assertThat(page.statusCode()).as("status of " + pageUri).isEqualTo(200);
		return submit(page, formSelector, values);
	}

	/**
	 * Posts a form of a page as a person would: its hidden fields (the CSRF token) plus
	 * the given ones.
	 */
	public HttpResponse<String> submit(HttpResponse<String> page, String formSelector, Map<String, String> values) {
		FilledForm form = fill(page, formSelector, values);
		return post(form.action(), form.fields());
	}

	/** Fills a form of a page (its hidden fields plus the given ones) without posting it. */
	public static FilledForm fill(HttpResponse<String> page, String formSelector, Map<String, String> values) {
		Document document = Jsoup.parse(page.body(), page.uri().toString());
		Element form = document.selectFirst(formSelector);
		assertThat(form).as("form " + formSelector + " on " + page.uri()).isNotNull();
		Map<String, String> fields = new LinkedHashMap<>();
		for (Element input : form.select("input[type=hidden]")) {
			fields.put(input.attr("name"), input.attr("value"));
		}
		fields.putAll(values);
		return new FilledForm(URI.create(form.absUrl("action")), fields);
	}

	/**
	 * Posts every input of a form as a browser sends it (hidden fields and checked boxes,
	 * one field per value); returns where the browser is sent.
	 */
	public URI submitAll(Element form) {
		List<Map.Entry<String, String>> fields = form.select("input")
			.stream()
			.map((input) -> Map.entry(input.attr("name"), input.attr("value")))
			.toList();
		HttpResponse<String> response = post(URI.create(form.absUrl("action")), fields);
		assertThat(response.statusCode()).isEqualTo(302);
		return location(response);
	}

	/** A form ready to post: where to, and its fields. */
	public record FilledForm(URI action, Map<String, String> fields) {
	}

	public static URI location(HttpResponse<?> response) {
		String location = response.headers()
			.firstValue("Location")
			.orElseThrow(() -> new AssertionError("No Location header, status " + response.statusCode()));
		return response.uri().resolve(location);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			if (this.userAgent != null) {
				request.header("User-Agent", this.userAgent);
			}
			return this.http.send(request.header("Accept", "text/html,application/xhtml+xml")
				.header("Accept-Language", this.acceptLanguage)
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
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
