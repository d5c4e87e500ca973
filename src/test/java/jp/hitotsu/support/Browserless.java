package jp.hitotsu.support;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

	public Browserless language(String language) {
		this.acceptLanguage = language;
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
		String body = form.stream()
			.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
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
		URI loginPage = page.uri();
		assertThat(page.statusCode()).isEqualTo(200);
		Document document = Jsoup.parse(page.body(), loginPage.toString());
		Element form = document.selectFirst("form.login-form");
		assertThat(form).as("login form on " + loginPage).isNotNull();
		Map<String, String> fields = new LinkedHashMap<>();
		for (Element input : form.select("input[type=hidden]")) {
			fields.put(input.attr("name"), input.attr("value"));
		}
		fields.put("username", username);
		fields.put("password", password);
		return new FilledForm(URI.create(form.absUrl("action")), fields);
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
