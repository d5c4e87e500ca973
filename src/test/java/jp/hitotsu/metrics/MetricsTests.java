package jp.hitotsu.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Prometheus reads at {@code /actuator/prometheus}: per realm (and client, grant type,
 * outcome) counters that move with what happens over HTTP, the token endpoint's latency
 * histogram, and the gauges counted in the database. Realm {@code metered} is used by these
 * tests only, so its series move only with them.
 */
class MetricsTests extends ServerTest {

	private static final String REALM = "metered";

	private static final URI CALLBACK = URI.create("https://metered.example.test/callback");

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void tokenWhenIssuedThenCountedPerClientAndGrantTypeAndTimed() {
		Map<String, String> issued = Map.of("realm", REALM, "client", "metered-batch", "grant_type",
				"client_credentials");
		Map<String, String> timed = Map.of("realm", REALM);
		Scrape before = scrape();

		TokenResponse ok = batch("metered-batch-secret-0123456789").token(new ClientCredentialsGrant(),
				new Scope("reports.read"));
		assertThat(ok.indicatesSuccess()).isTrue();
		TokenResponse refused = batch("not-the-secret").token(new ClientCredentialsGrant(), new Scope("reports.read"));
		assertThat(refused.indicatesSuccess()).isFalse();
		TokenResponse unknown = client(REALM, "no-such-client", "whatever-secret").token(new ClientCredentialsGrant(),
				new Scope("reports.read"));
		assertThat(unknown.indicatesSuccess()).isFalse();

		Scrape after = scrape();
		assertThat(after.value("hitotsu_tokens_issued_total", issued) - before.value("hitotsu_tokens_issued_total", issued))
			.as("one token issued; refusals are not issuance")
			.isEqualTo(1);
		assertThat(after.value("hitotsu_token_requests_seconds_count", timed)
				- before.value("hitotsu_token_requests_seconds_count", timed))
			.as("every request is timed, whatever its answer")
			.isEqualTo(3);
		assertThat(after.samples("hitotsu_token_requests_seconds_bucket", timed)).as("a histogram for percentiles")
			.hasSizeGreaterThan(10);
		assertThat(after.text()).as("no series for a client the realm does not have").doesNotContain("no-such-client");
	}

	@Test
	void loginWhenOutcomesDifferThenCountedPerOutcomeAndLockoutsCounted() {
		Scrape before = scrape();
		Browserless browser = browser();
		URI login = uri("/realms/" + REALM + "/login");
		browser.submitLogin(login, "metered-user", "not-the-password");
		browser.submitLogin(login, "nobody-metered", "not-the-password");
		// two failures lock this one (realm file); the third attempt is refused as locked
		browser.submitLogin(login, "metered-locked", "wrong-1");
		browser.submitLogin(login, "metered-locked", "wrong-2");
		browser.submitLogin(login, "metered-locked", "metered-locked-test-pass");
		OidcClient app = client(REALM, "metered-app", "metered-app-secret-0123456789");
		OidcClient.Authorization authorization = app.authorization(CALLBACK, "openid");
		app.exchange(browser().authorize(authorization.uri(), "metered-user", "metered-user-test-pass"), authorization);

		Scrape after = scrape();
		for (String outcome : List.of("success", "bad_password", "unknown_user", "locked")) {
			Map<String, String> labels = Map.of("realm", REALM, "outcome", outcome);
			double expected = switch (outcome) {
				case "bad_password" -> 3;
				default -> 1;
			};
			assertThat(after.value("hitotsu_logins_total", labels) - before.value("hitotsu_logins_total", labels))
				.as(outcome)
				.isEqualTo(expected);
		}
		Map<String, String> realm = Map.of("realm", REALM);
		assertThat(after.value("hitotsu_lockouts_total", realm) - before.value("hitotsu_lockouts_total", realm))
			.isEqualTo(1);
		assertThat(after.value("hitotsu_sessions_active", realm)).as("the browser logged in to the realm")
			.isGreaterThanOrEqualTo(1);
		assertThat(after.value("hitotsu_audit_events", realm) - before.value("hitotsu_audit_events", realm))
			.as("each attempt and the lock are in the audit trail")
			.isGreaterThanOrEqualTo(7);
	}

	private OidcClient batch(String secret) {
		return client(REALM, "metered-batch", secret);
	}

	private Scrape scrape() {
		try {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(uri("/actuator/prometheus")).header("Accept", "text/plain").GET().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			return new Scrape(response.body());
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** The Prometheus text format, read just enough to find a sample by name and labels. */
	record Scrape(String text) {

		List<Double> samples(String name, Map<String, String> labels) {
			List<Double> values = new ArrayList<>();
			for (String line : this.text.lines().toList()) {
				if (line.startsWith("#") || !line.startsWith(name + "{")) {
					continue;
				}
				int close = line.lastIndexOf('}');
				Map<String, String> found = new LinkedHashMap<>();
				for (String pair : line.substring(name.length() + 1, close).split(",(?=[a-z_]+=\")")) {
					int equals = pair.indexOf('=');
					found.put(pair.substring(0, equals), pair.substring(equals + 2, pair.length() - 1));
				}
				if (found.entrySet().containsAll(labels.entrySet())) {
					values.add(Double.parseDouble(line.substring(close + 1).trim().split(" ")[0]));
				}
			}
			return values;
		}

		/** The one sample with these labels, 0 when there is none yet. */
		double value(String name, Map<String, String> labels) {
			List<Double> values = samples(name, labels);
			assertThat(values).as(name + labels).hasSizeLessThanOrEqualTo(1);
			return values.isEmpty() ? 0 : values.get(0);
		}

	}

}
