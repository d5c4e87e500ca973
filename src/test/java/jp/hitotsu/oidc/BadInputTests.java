package jp.hitotsu.oidc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Malformed requests get a clear 400, never a 500 or a stack trace. */
class BadInputTests extends ServerTest {

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> postToken(String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri("/realms/staff/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("batch:batch-secret-0123456789".getBytes()))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void tokenRequestWhenParameterRepeatedThenInvalidRequest() throws Exception {
		HttpResponse<String> response = postToken("grant_type=client_credentials&scope=reports.read&scope=reports.write");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"error\":\"invalid_request\"").contains("scope");
	}

	@Test
	void tokenRequestWhenParameterOversizedThenInvalidRequest() throws Exception {
		HttpResponse<String> response = postToken("grant_type=client_credentials&scope=" + "a".repeat(9000));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"error\":\"invalid_request\"");
	}

	@Test
	void tokenRequestWhenNotUtf8ThenInvalidRequest() throws Exception {
		HttpResponse<String> response = postToken("grant_type=client_credentials&scope=%C3%28");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"error\":\"invalid_request\"");
	}

	@Test
	void userInfoWhenBearerTokenMalformedThenInvalidTokenNotAnError() throws Exception {
		for (String authorization : new String[] { "Bearer a b", "Bearer ", "bearer =abc" }) {
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create(base() + "/realms/staff/userinfo"))
				.header("Authorization", authorization)
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(authorization).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).as(authorization)
				.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"invalid_token\""));
		}
	}

	@Test
	void adminSearchWhenNulInQueryThenBadRequestNotADatabaseError() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create(base() + "/admin/api/realms/staff/users?q=%00"))
			.header("Accept", "application/json")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
	}

	@Test
	void authorizationRequestWhenNotUtf8ThenErrorPage() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create(base() + "/realms/staff/oauth2/authorize?client_id=web-app&state=%FF%FE"))
			.header("Accept", "text/html")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
		assertThat(response.body()).contains("UTF-8");
	}

	@Test
	void loginFormWhenFieldsMissingThenFormErrorsInUsersLanguage() {
		HttpResponse<String> response = browser().language("en").submitLogin(uri("/realms/staff/login"), "", "");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Enter your username.").contains("Enter your password.");
	}

	@Test
	void loginFormWhenPasswordAbsurdlyLongThenRefusedLikeAWrongPassword() {
		HttpResponse<String> response = browser().language("en").submitLogin(uri("/realms/staff/login"), "tanaka",
				"x".repeat(5000));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("The username or password is incorrect.");
	}

	@Test
	void tokenEndpointWhenGetThenNoServerError() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/realms/staff/oauth2/token")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isBetween(400, 499);
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
	}

	@Test
	void userInfoWhenNoTokenThen401WithBearerChallenge() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/realms/staff/userinfo")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
	}

	@Test
	void userInfoWhenTokenMalformedThen401() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/realms/staff/userinfo"))
			.header("Authorization", "Bearer not.a.jwt")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(401);
	}

}
