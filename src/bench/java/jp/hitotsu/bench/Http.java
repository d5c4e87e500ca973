package jp.hitotsu.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain JDK HTTP for the driver's setup (discovery, tokens fed to the virtual users). */
final class Http {

	static final ObjectMapper JSON = new ObjectMapper();

	static final HttpClient CLIENT = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private Http() {
	}

	static HttpResponse<String> send(HttpRequest request) {
		URI uri = request.uri();
		if (!uri.getHost().startsWith("127.") && !uri.getHost().equals("localhost") && !uri.getHost().equals("[::1]")) {
			throw new IllegalArgumentException("the bench driver only talks to loopback, not " + uri);
		}
		try {
			return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("request to " + uri + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode getJson(URI uri) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build());
		return json(response, 200);
	}

	static JsonNode postForm(URI uri, String basicUser, String basicSecret, Map<String, String> form) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Authorization", basic(basicUser, basicSecret))
			.POST(HttpRequest.BodyPublishers.ofString(form(form)))
			.build());
		return json(response, 200);
	}

	static JsonNode json(HttpResponse<String> response, int expectedStatus) {
		if (response.statusCode() != expectedStatus) {
			throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
					+ response.statusCode() + ": " + abbreviate(response.body()));
		}
		try {
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(response.uri() + " did not answer JSON: " + abbreviate(response.body()), ex);
		}
	}

	static String basic(String user, String secret) {
		// RFC 6749 2.3.1: form-encode id and secret before Basic
		String credentials = URLEncoder.encode(user, StandardCharsets.UTF_8) + ":"
				+ URLEncoder.encode(secret, StandardCharsets.UTF_8);
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	static String form(Map<String, String> form) {
		return form.entrySet()
			.stream()
			.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	static String abbreviate(String text) {
		String oneLine = text == null ? "" : text.replaceAll("\\s+", " ");
		return oneLine.length() > 600 ? oneLine.substring(0, 600) + "..." : oneLine;
	}

}
