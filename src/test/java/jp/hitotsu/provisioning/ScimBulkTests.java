package jp.hitotsu.provisioning;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ScimApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCIM Bulk (RFC 7644 §3.7) over HTTP: bulkId references between operations, one result
 * per operation, failOnErrors, and the advertised limits.
 */
class ScimBulkTests extends ServerTest {

	private static String token;

	private ScimApi scim() {
		if (token == null) {
			token = new AdminApi(this).token("scim-feeder", "scim-feeder-test-pass-0001");
		}
		return new ScimApi(this, "provisioned", token);
	}

	private static String bulk(String failOnErrors, String... operations) {
		return "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"]" + failOnErrors
				+ ", \"Operations\": [" + String.join(",", operations) + "]}";
	}

	private static List<String> statuses(JsonNode response) {
		List<String> statuses = new ArrayList<>();
		response.get("Operations").forEach((operation) -> statuses.add(operation.get("status").stringValue()));
		return statuses;
	}

	@Test
	void bulkWhenOperationsReferToEarlierBulkIdsThenEachRunsAndAnswersInOrder() {
		ScimApi scim = scim();
		String name = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> response = scim.send("POST", "/Bulk", bulk("",
				"{\"method\": \"POST\", \"path\": \"/Users\", \"bulkId\": \"a\", \"data\": {\"userName\": \"" + name
						+ "-a\", \"name\": {\"familyName\": \"一括\", \"givenName\": \"一郎\"}}}",
				"{\"method\": \"PATCH\", \"path\": \"/Users/bulkId:a\", \"data\": {\"Operations\": [{\"op\": \"replace\", \"path\": \"displayName\", \"value\": \"Bulk A\"}]}}",
				"{\"method\": \"POST\", \"path\": \"/Users\", \"bulkId\": \"b\", \"data\": {\"active\": true}}",
				"{\"method\": \"PUT\", \"path\": \"/Users/bulkId:nosuch\", \"data\": {\"userName\": \"x\"}}",
				"{\"method\": \"POST\", \"path\": \"/Users\", \"bulkId\": \"c\", \"data\": {\"userName\": \"" + name
						+ "-c\", \"externalId\": \"bulkId:a\"}}"),
				null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode result = ScimApi.json(response);
		assertThat(result.get("schemas").get(0).stringValue())
			.isEqualTo("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
		assertThat(statuses(result)).containsExactly("201", "200", "400", "400", "201");
		JsonNode operations = result.get("Operations");
		assertThat(operations.get(0).get("bulkId").stringValue()).isEqualTo("a");
		String location = operations.get(0).get("location").stringValue();
		String id = location.substring(location.lastIndexOf('/') + 1);
		assertThat(operations.get(1).get("location").stringValue()).isEqualTo(location);
		assertThat(operations.get(1).get("version").stringValue()).isEqualTo("W/\"2\"");
		assertThat(operations.get(2).get("response").get("scimType").stringValue()).isEqualTo("invalidValue");
		assertThat(operations.get(3).get("response").get("detail").stringValue()).contains("nosuch");

		JsonNode a = ScimApi.json(scim.get("/Users/" + id));
		assertThat(a.get("displayName").stringValue()).isEqualTo("Bulk A");
		JsonNode c = ScimApi.json(scim.filter("userName eq \"" + name + "-c\"", "")).get("Resources").get(0);
		assertThat(c.get("externalId").stringValue()).as("bulkId:a in data became the id").isEqualTo(id);

		JsonNode deleted = ScimApi.json(scim.send("POST", "/Bulk",
				bulk("", "{\"method\": \"DELETE\", \"path\": \"/Users/" + id + "\", \"version\": \"W/\\\"1\\\"\"}",
						"{\"method\": \"DELETE\", \"path\": \"/Users/" + id + "\"}"),
				null));
		assertThat(statuses(deleted)).as("a stale version, then none").containsExactly("412", "204");
		assertThat(scim.get("/Users/" + id).statusCode()).isEqualTo(404);
	}

	@Test
	void bulkWhenFailOnErrorsReachedThenTheRestIsNotRun() {
		ScimApi scim = scim();
		String name = "bulk-stop-" + UUID.randomUUID().toString().substring(0, 8);
		JsonNode result = ScimApi.json(scim.send("POST", "/Bulk", bulk(", \"failOnErrors\": 1",
				"{\"method\": \"POST\", \"path\": \"/Users\", \"bulkId\": \"bad\", \"data\": {\"userName\": \"\"}}",
				"{\"method\": \"POST\", \"path\": \"/Users\", \"bulkId\": \"good\", \"data\": {\"userName\": \"" + name
						+ "\"}}"),
				null));
		assertThat(statuses(result)).containsExactly("400");
		assertThat(ScimApi.json(scim.filter("userName eq \"" + name + "\"", "")).get("totalResults").asInt())
			.isZero();
	}

	@Test
	void bulkWhenBeyondAdvertisedLimitsThen413() {
		ScimApi scim = scim();
		List<String> operations = new ArrayList<>();
		for (int i = 0; i <= 1000; i++) {
			operations.add("{\"method\": \"DELETE\", \"path\": \"/Users/x\"}");
		}
		HttpResponse<String> tooMany = scim.send("POST", "/Bulk", bulk("", operations.toArray(String[]::new)), null);
		assertThat(tooMany.statusCode()).isEqualTo(413);
		assertThat(ScimApi.json(tooMany).get("detail").stringValue()).contains("1000");
		String large = "{\"Operations\": [], \"padding\": \"" + "x".repeat(1_048_576) + "\"}";
		assertThat(scim.send("POST", "/Bulk", large, null).statusCode()).isEqualTo(413);
		HttpResponse<String> badPath = scim.send("POST", "/Bulk",
				bulk("", "{\"method\": \"POST\", \"path\": \"/Roles\", \"bulkId\": \"g\", \"data\": {}}"), null);
		assertThat(ScimApi.json(badPath).get("Operations").get(0).get("response").get("scimType").stringValue())
			.isEqualTo("invalidPath");
	}

}
