package jp.hitotsu.provisioning;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Partial representations of Users (RFC 7644 §3.4.2.5, §3.9): {@code attributes} and
 * {@code excludedAttributes} on reads, lists, {@code .search} and the answers of writes;
 * {@code id} and {@code schemas} always come back.
 */
class ScimAttributesTests extends ServerTest {

	private static final String REALM = "provisioned";

	private static final String EMPLOYEE_NUMBER = ScimApi.ENTERPRISE + ":employeeNumber";

	private static String feederToken;

	private ScimApi scim() {
		if (feederToken == null) {
			feederToken = new AdminApi(this).token("scim-feeder", "scim-feeder-test-pass-0001");
		}
		return new ScimApi(this, REALM, feederToken);
	}

	/** A staff member with every attribute Hitotsu keeps. */
	private JsonNode staffMember(String prefix) {
		String r = UUID.randomUUID().toString().substring(0, 8);
		return scim().create("{\"schemas\": [\"" + ScimApi.USER + "\", \"" + ScimApi.ENTERPRISE + "\"], \"userName\": \""
				+ prefix + r + "\", \"externalId\": \"x-" + r + "\", \"name\": {\"familyName\": \"Mori\", \"givenName\": \"Aki\"},"
				+ " \"emails\": [{\"value\": \"" + r + "@attributes.example\", \"type\": \"work\", \"primary\": true}],"
				+ " \"" + ScimApi.ENTERPRISE + "\": {\"employeeNumber\": \"A" + r + "\"}}");
	}

	private static String query(String name, String value) {
		return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static List<String> names(JsonNode node) {
		return new ArrayList<>(node.propertyNames());
	}

	private static JsonNode ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return ScimApi.json(response);
	}

	@Test
	void getWhenAttributesThenOnlyThoseWithIdAndSchemas() {
		JsonNode user = staffMember("attr-get-");
		String path = "/Users/" + user.get("id").stringValue() + "?";
		HttpResponse<String> response = scim().get(path + query("attributes", "userName,name.familyName"));

		JsonNode partial = ok(response);
		assertThat(names(partial)).containsExactlyInAnyOrder("id", "name", "schemas", "userName");
		assertThat(names(partial.get("name"))).containsExactlyInAnyOrder("familyName");
		assertThat(partial.get("schemas").toString()).isEqualTo("[\"" + ScimApi.USER + "\"]");
		// the entity tag is the resource's, whatever part of it is shown
		assertThat(response.headers().firstValue("ETag")).hasValue(user.get("meta").get("version").stringValue());

		JsonNode caseAndSchema = ok(scim().get(path + query("attributes",
				"USERNAME, " + ScimApi.USER + ":emails.value, " + EMPLOYEE_NUMBER)));
		assertThat(names(caseAndSchema)).containsExactlyInAnyOrder("emails", "id", "schemas", "userName", ScimApi.ENTERPRISE);
		assertThat(names(caseAndSchema.get("emails").get(0))).containsExactlyInAnyOrder("value");
		assertThat(names(caseAndSchema.get(ScimApi.ENTERPRISE))).containsExactlyInAnyOrder("employeeNumber");
		assertThat(caseAndSchema.get("schemas").toString()).contains(ScimApi.ENTERPRISE);

		JsonNode onlyId = ok(scim().get(path + query("attributes", "id")));
		assertThat(names(onlyId)).containsExactlyInAnyOrder("id", "schemas");
	}

	@Test
	void getWhenExcludedAttributesThenAllButThoseAndNeverId() {
		JsonNode user = staffMember("attr-excl-");
		String path = "/Users/" + user.get("id").stringValue() + "?";

		JsonNode partial = ok(scim().get(path + query("excludedAttributes", "emails,meta,name.givenName,id,schemas")));
		assertThat(names(partial)).containsExactlyInAnyOrder("active", "displayName", "externalId", "id", "name", "schemas",
				"userName", ScimApi.ENTERPRISE);
		assertThat(names(partial.get("name"))).containsExactlyInAnyOrder("familyName", "formatted");

		JsonNode withoutEmployeeNumber = ok(scim().get(path + query("excludedAttributes", EMPLOYEE_NUMBER)));
		// the extension held only the number (no post, so no organization): nothing of it is left
		assertThat(withoutEmployeeNumber.has(ScimApi.ENTERPRISE)).isFalse();
		assertThat(withoutEmployeeNumber.get("schemas").toString()).doesNotContain(ScimApi.ENTERPRISE);

		JsonNode withoutExtension = ok(scim().get(path + query("excludedAttributes", ScimApi.ENTERPRISE)));
		assertThat(withoutExtension.has(ScimApi.ENTERPRISE)).isFalse();
		assertThat(withoutExtension.get("schemas").toString()).isEqualTo("[\"" + ScimApi.USER + "\"]");
		assertThat(withoutExtension.get("emails")).isNotNull();
	}

	@Test
	void listAndSearchWhenAttributesThenEachResourcePartialAndTotalUnchanged() {
		String prefix = "attr-list-" + UUID.randomUUID().toString().substring(0, 6) + "-";
		staffMember(prefix);
		staffMember(prefix);
		String filter = "userName sw \"" + prefix + "\"";

		JsonNode list = ok(scim().filter(filter, "&" + query("attributes", "userName")));
		assertThat(list.get("totalResults").asInt()).isEqualTo(2);
		list.get("Resources").forEach((user) -> assertThat(names(user)).containsExactlyInAnyOrder("id", "schemas", "userName"));

		JsonNode searched = ok(scim().send("POST", "/Users/.search", "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],"
				+ " \"filter\": " + ScimApi.quote(filter) + ", \"excludedAttributes\": [\"emails\", \"meta\", \"name\"]}",
				null));
		assertThat(searched.get("totalResults").asInt()).isEqualTo(2);
		searched.get("Resources").forEach((user) -> {
			assertThat(user.has("emails") || user.has("meta") || user.has("name")).isFalse();
			assertThat(user.get("userName").stringValue()).startsWith(prefix);
		});
	}

	@Test
	void writesWhenAttributesThenAnswerPartialWithFullEtagAndLocation() {
		String r = UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> created = scim().send("POST", "/Users?" + query("attributes", "userName"),
				"{\"schemas\": [\"" + ScimApi.USER + "\"], \"userName\": \"attr-post-" + r + "\", \"emails\": [{\"value\": \"p"
						+ r + "@attributes.example\", \"primary\": true}]}", null);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode body = ScimApi.json(created);
		assertThat(names(body)).containsExactlyInAnyOrder("id", "schemas", "userName");
		String id = body.get("id").stringValue();
		assertThat(created.headers().firstValue("Location")).hasValueSatisfying((location) -> assertThat(location).endsWith("/Users/" + id));
		assertThat(created.headers().firstValue("ETag")).hasValue("W/\"1\"");

		HttpResponse<String> patched = scim().send("PATCH", "/Users/" + id + "?" + query("excludedAttributes", "emails"),
				"{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\": [{\"op\": \"replace\","
						+ " \"path\": \"displayName\", \"value\": \"Patched\"}]}", "W/\"1\"");
		JsonNode patchedBody = ok(patched);
		assertThat(patchedBody.has("emails")).isFalse();
		assertThat(patchedBody.get("displayName").stringValue()).isEqualTo("Patched");
		assertThat(patched.headers().firstValue("ETag")).hasValue("W/\"2\"");

		JsonNode replaced = ok(scim().send("PUT", "/Users/" + id + "?" + query("attributes", "active"),
				"{\"schemas\": [\"" + ScimApi.USER + "\"], \"userName\": \"attr-post-" + r + "\", \"active\": false}", "W/\"2\""));
		assertThat(names(replaced)).containsExactlyInAnyOrder("active", "id", "schemas");
		assertThat(replaced.get("active").booleanValue()).isFalse();
	}

	@Test
	void attributesWhenBothOrUnknownThenInvalidValueAndNothingWritten() {
		JsonNode user = staffMember("attr-bad-");
		String path = "/Users/" + user.get("id").stringValue() + "?";

		JsonNode both = error(scim().get(path + query("attributes", "userName") + "&" + query("excludedAttributes", "emails")));
		assertThat(both.get("detail").stringValue()).contains("attributes", "excludedAttributes");

		JsonNode unknown = error(scim().get(path + query("attributes", "userName,name.nickName")));
		assertThat(unknown.get("detail").stringValue()).contains("name.nickName");
		assertThat(error(scim().filter("userName pr", "&" + query("excludedAttributes", "password"))).get("detail")
			.stringValue()).contains("password");
		assertThat(error(scim().language("ja").get(path + query("attributes", "urn:example:x:foo"))).get("detail")
			.stringValue()).contains("urn:example:x:foo", "属性");

		// a write whose answer cannot be shaped is refused before it is made
		HttpResponse<String> refused = scim().send("PATCH", path + query("attributes", "bogus"),
				"{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\": [{\"op\": \"replace\","
						+ " \"path\": \"displayName\", \"value\": \"Never\"}]}", null);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(ok(scim().get(path.substring(0, path.length() - 1))).get("displayName").stringValue()).isNotEqualTo("Never");
	}

	private static JsonNode error(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		JsonNode error = ScimApi.json(response);
		assertThat(error.get("schemas").get(0).stringValue()).isEqualTo(ScimApi.ERROR);
		assertThat(error.get("scimType").stringValue()).isEqualTo("invalidValue");
		return error;
	}

}
