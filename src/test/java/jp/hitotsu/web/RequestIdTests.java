package jp.hitotsu.web;

import java.net.http.HttpResponse;

import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer carries an {@code X-Request-Id}: the caller's when it is well-formed, a new
 * one otherwise; the audit events a request records carry the same id.
 */
class RequestIdTests extends ServerTest {

	private static final String ID = "ops-test-0b7c4e1f.42";

	@Autowired
	private JdbcClient jdbc;

	@Test
	void changeWhenRequestIdSentThenEchoedAndInItsAuditEvents() {
		String token = new AdminApi(this).token("lockout-super", "lockout-super-test-pass");
		String subject = Accounts.subjectOf(this.jdbc, "metered", "metered-unlocked");
		HttpResponse<String> cleared = new AdminApi(this).header(RequestIds.HEADER, ID)
			.delete("/admin/api/realms/metered/users/" + subject + "/lock", token);
		assertThat(cleared.statusCode()).isEqualTo(204);
		assertThat(cleared.headers().firstValue(RequestIds.HEADER)).hasValue(ID);

		HttpResponse<String> events = new AdminApi(this)
			.get("/admin/api/realms/metered/audit-events?subject=" + subject + "&limit=10", token);
		assertThat(events.statusCode()).isEqualTo(200);
		JsonNode unlocked = AdminApi.json(events).path("events").valueStream()
			.filter((event) -> "ACCOUNT_UNLOCKED".equals(event.path("type").asString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no ACCOUNT_UNLOCKED event: " + events.body()));
		assertThat(unlocked.path("requestId").asString()).isEqualTo(ID);
		assertThat(events.headers().firstValue(RequestIds.HEADER)).as("another request, another id")
			.hasValueSatisfying((id) -> assertThat(id).isNotEqualTo(ID));
	}

	@Test
	void requestWhenIdMalformedOrMissingThenANewOneIsGiven() {
		for (String sent : new String[] { "two words", "x".repeat(65), "<script>", "" }) {
			HttpResponse<String> response = new AdminApi(this).header(RequestIds.HEADER, sent)
				.get("/admin/api/realms/metered/audit-events", null);
			assertThat(response.headers().firstValue(RequestIds.HEADER)).as("for '" + sent + "'")
				.hasValueSatisfying((id) -> assertThat(id).isNotEqualTo(sent).matches("[0-9a-f-]{36}"));
		}
		HttpResponse<String> without = new AdminApi(this).get("/realms/metered/.well-known/openid-configuration", null);
		assertThat(without.headers().firstValue(RequestIds.HEADER)).hasValueSatisfying(
				(id) -> assertThat(id).matches("[0-9a-f-]{36}"));
	}

	@Test
	void errorWhenRefusedEarlyThenTheIdComesBackToo() {
		HttpResponse<String> response = new AdminApi(this).header(RequestIds.HEADER, ID)
			.get("/realms/no-such-realm/.well-known/openid-configuration", null);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue(RequestIds.HEADER)).hasValue(ID);
	}

}
