package jp.hitotsu.deploy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Helm chart's probes ask the server (helm/hitotsu, values.yaml "probes"), and
 * that the actuator shows nothing else to whoever reaches the pod.
 */
class ProbeEndpointsTests extends ServerTest {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** A GET as the kubelet's HTTP probe sends it ({@code Accept: *}{@code /*}, no cookies). */
	private HttpResponse<String> probe(String path) {
		try {
			return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Accept", "*/*").GET().build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new AssertionError(path, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(path, ex);
		}
	}

	@Test
	void healthGroupsWhenStartedThenLivenessAndReadinessUp() {
		for (String group : List.of("liveness", "readiness")) {
			HttpResponse<String> response = probe("/actuator/health/" + group);
			assertThat(response.statusCode()).as(group).isEqualTo(200);
			assertThat(response.body()).as(group).contains("\"status\":\"UP\"");
		}
	}

	@Test
	void healthWhenAskedThenNoDetailsOfTheComponents() {
		HttpResponse<String> response = probe("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain("components", "details", "db", "diskSpace");
	}

	@Test
	void actuatorWhenOtherEndpointsThenNotFound() {
		for (String endpoint : List.of("env", "beans", "configprops", "heapdump", "threaddump", "loggers", "mappings",
				"shutdown", "info")) {
			assertThat(probe("/actuator/" + endpoint).statusCode()).as(endpoint).isEqualTo(404);
		}
	}

}
