package jp.hitotsu.provisioning;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ScimApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCIM Users of realm "provisioned" over HTTP, as an HR system calls them: filters (the
 * grammar of RFC 7644 §3.4.2.2, malformed ones refused as invalidFilter), pages, ETags,
 * PATCH paths, who may call.
 */
class ScimUsersTests extends ServerTest {

	private static final String REALM = "provisioned";

	private static String feederToken;

	@Autowired
	private AuditTrail audit;

	private ScimApi scim() {
		if (feederToken == null) {
			feederToken = new AdminApi(this).token("scim-feeder", "scim-feeder-test-pass-0001");
		}
		return new ScimApi(this, REALM, feederToken);
	}

	private static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	private static String user(String userName, String given, String family, String email, boolean active,
			String externalId, String employeeNumber) {
		StringBuilder json = new StringBuilder("{\"schemas\": [\"" + ScimApi.USER + "\"], \"userName\": "
				+ ScimApi.quote(userName) + ", \"active\": " + active + ", \"name\": {\"givenName\": "
				+ ScimApi.quote(given) + ", \"familyName\": " + ScimApi.quote(family) + "}");
		if (email != null) {
			json.append(", \"emails\": [{\"value\": ").append(ScimApi.quote(email)).append(", \"type\": \"work\", \"primary\": true}]");
		}
		if (externalId != null) {
			json.append(", \"externalId\": ").append(ScimApi.quote(externalId));
		}
		if (employeeNumber != null) {
			json.append(", \"").append(ScimApi.ENTERPRISE).append("\": {\"employeeNumber\": ")
				.append(ScimApi.quote(employeeNumber)).append('}');
		}
		return json.append('}').toString();
	}

	private static List<String> userNames(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<String> names = new ArrayList<>();
		ScimApi.json(response).get("Resources").forEach((user) -> names.add(user.get("userName").stringValue()));
		return names;
	}

	@Test
	void filterWhenEveryOperatorAndCombinationThenMatchesExactlyTheseUsers() {
		ScimApi scim = scim();
		String r = unique();
		String prefix = "f-" + r + "-";
		JsonNode alice = scim.create(user(prefix + "alice", "Alice", "Smith", "alice." + r + "@x.example", true,
				"ext-" + r + "-a", "E" + r));
		scim.create(user(prefix + "bob", "Bob", "Brown", "bob." + r + "@y.example", false, null, null));
		scim.create(user(prefix + "carol", "carol", "Clark", null, true, null, null));
		String mine = "userName sw \"" + prefix + "\"";

		assertThat(userNames(scim.filter("userName eq \"" + prefix.toUpperCase() + "ALICE\"", "")))
			.as("userName is not case-exact").containsExactly(prefix + "alice");
		assertThat(userNames(scim.filter(mine + " and active eq false", ""))).containsExactly(prefix + "bob");
		assertThat(userNames(scim.filter(mine + " and not (active eq false)", "")))
			.containsExactly(prefix + "alice", prefix + "carol");
		assertThat(userNames(scim.filter(mine + " and emails pr", ""))).containsExactly(prefix + "alice",
				prefix + "bob");
		assertThat(userNames(scim.filter(mine + " and (emails co \"@X.example\" or name.givenName eq \"CAROL\")", "")))
			.containsExactly(prefix + "alice", prefix + "carol");
		assertThat(userNames(scim.filter("emails[type eq \"work\" and value co \"@y.exam\"] and " + mine, "")))
			.containsExactly(prefix + "bob");
		assertThat(userNames(scim.filter(mine + " and emails[type eq \"home\"]", ""))).isEmpty();
		assertThat(userNames(scim.filter("externalId eq \"ext-" + r + "-a\"", ""))).containsExactly(prefix + "alice");
		assertThat(userNames(scim.filter(mine + " and urn:ietf:params:scim:schemas:core:2.0:User:userName ew \"-bob\"", "")))
			.containsExactly(prefix + "bob");
		assertThat(userNames(scim.filter(ScimApi.ENTERPRISE + ":employeeNumber eq \"E" + r + "\"", "")))
			.containsExactly(prefix + "alice");
		assertThat(userNames(scim.filter("id eq \"" + alice.get("id").stringValue() + "\"", "")))
			.containsExactly(prefix + "alice");
		assertThat(userNames(scim.filter(mine + " and meta.created ge \"2000-01-01T00:00:00Z\"", ""))).hasSize(3);
		assertThat(userNames(scim.filter(mine + " and meta.lastModified lt \"2000-01-01T00:00:00Z\"", ""))).isEmpty();
		assertThat(userNames(scim.filter(mine + " and name.familyName gt \"s\"", ""))).containsExactly(prefix + "alice");
		assertThat(userNames(scim.filter(mine + " and name.familyName le \"brown\"", ""))).containsExactly(prefix + "bob");
		assertThat(userNames(scim.filter(mine + " and name.givenName ne \"Alice\"", "")))
			.containsExactly(prefix + "bob", prefix + "carol");
		assertThat(userNames(scim.filter("userName eq \"x' or '1'='1\" or userName co \"%\"", "")))
			.as("values are bound, LIKE wildcards taken literally").isEmpty();

		JsonNode found = ScimApi.json(scim.filter("userName eq \"" + prefix + "alice\"", "")).get("Resources").get(0);
		assertThat(found.get(ScimApi.ENTERPRISE).get("employeeNumber").stringValue()).isEqualTo("E" + r);
		assertThat(found.get("emails").get(0).get("value").stringValue()).isEqualTo("alice." + r + "@x.example");
	}

	@Test
	void filterWhenMalformedThen400InvalidFilterSayingWhat() {
		ScimApi scim = scim();
		for (String filter : List.of("userName eq", "userName xx \"a\"", "(userName eq \"a\"", "userName eq \"a\" and",
				"emails[type eq \"work\"", "userName eq 'a'", "nosuch eq \"a\"", "active gt true",
				"meta.created gt \"yesterday\"", "userName eq \"a\" or or", "not userName eq \"a\"",
				"emails[value sw \"a\" and emails[type eq \"w\"]]", "userName eq \"unterminated",
				"name.givenName eq true", "userName pr pr", "\"a\" eq userName")) {
			HttpResponse<String> response = scim.filter(filter, "");
			assertThat(response.statusCode()).as(filter).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("application/scim+json"));
			JsonNode error = ScimApi.json(response);
			assertThat(error.get("schemas").get(0).stringValue()).isEqualTo(ScimApi.ERROR);
			assertThat(error.get("status").stringValue()).isEqualTo("400");
			assertThat(error.get("scimType").stringValue()).as(filter).isEqualTo("invalidFilter");
			assertThat(error.get("detail").stringValue()).isNotBlank();
		}
		assertThat(ScimApi.json(scim.filter("nosuch eq \"a\"", "")).get("detail").stringValue()).contains("nosuch");
		assertThat(ScimApi.json(scim.language("ja").filter("nosuch eq \"a\"", "")).get("detail").stringValue())
			.contains("属性");
	}

	@Test
	void pagesWhenWalkedThenEveryUserOnceInStableOrderEvenOnTies() {
		ScimApi scim = scim();
		String prefix = "p-" + unique() + "-";
		List<String> created = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			// one family name for all: sorting by it ties, the id must break the tie
			created.add(scim.create(user(prefix + i, "Given" + i, "同姓", null, true, null, null)).get("id")
				.stringValue());
		}
		for (String sort : List.of("", "&sortBy=name.familyName", "&sortBy=userName&sortOrder=descending")) {
			List<String> seen = new ArrayList<>();
			for (int start = 1; start <= 7; start += 3) {
				HttpResponse<String> response = scim.filter("userName sw \"" + prefix + "\"",
						"&count=3&startIndex=" + start + sort);
				JsonNode page = ScimApi.json(response);
				assertThat(page.get("totalResults").asInt()).isEqualTo(7);
				assertThat(page.get("startIndex").asInt()).isEqualTo(start);
				assertThat(page.get("itemsPerPage").asInt()).isEqualTo(Math.min(3, 8 - start));
				page.get("Resources").forEach((user) -> seen.add(user.get("id").stringValue()));
			}
			assertThat(seen).as(sort).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
			List<String> again = new ArrayList<>();
			ScimApi.json(scim.filter("userName sw \"" + prefix + "\"", "&count=7" + sort))
				.get("Resources")
				.forEach((user) -> again.add(user.get("id").stringValue()));
			assertThat(again).as("pages in the order of one long page " + sort).containsExactlyElementsOf(seen);
		}
		assertThat(userNames(scim.filter("userName sw \"" + prefix + "\"", "&sortBy=userName")))
			.containsExactly(prefix + 0, prefix + 1, prefix + 2, prefix + 3, prefix + 4, prefix + 5, prefix + 6);
		HttpResponse<String> badSort = scim.filter("userName sw \"" + prefix + "\"", "&sortBy=nosuch");
		assertThat(badSort.statusCode()).isEqualTo(400);
	}

	@Test
	void writeWhenIfMatchIsStaleThen412AndNothingChanges() {
		ScimApi scim = scim();
		String name = "e-" + unique();
		JsonNode created = scim.create(user(name, "Etag", "Test", null, true, null, null));
		String path = "/Users/" + created.get("id").stringValue();
		HttpResponse<String> read = scim.get(path);
		String etag = read.headers().firstValue("ETag").orElseThrow();
		assertThat(etag).isEqualTo(created.get("meta").get("version").stringValue()).startsWith("W/\"");
		assertThat(scim.send("GET", path, null, etag).statusCode()).isEqualTo(304);

		HttpResponse<String> replaced = scim.send("PUT", path, user(name, "Etag2", "Test", null, true, null, null),
				etag);
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
		String newEtag = replaced.headers().firstValue("ETag").orElseThrow();
		assertThat(newEtag).isNotEqualTo(etag);

		HttpResponse<String> stalePut = scim.send("PUT", path, user(name, "Lost", "Update", null, true, null, null),
				etag);
		assertThat(stalePut.statusCode()).isEqualTo(412);
		assertThat(ScimApi.json(stalePut).get("detail").stringValue()).contains(newEtag);
		String patch = "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\": "
				+ "[{\"op\": \"replace\", \"path\": \"displayName\", \"value\": \"Lost\"}]}";
		assertThat(scim.send("PATCH", path, patch, etag).statusCode()).isEqualTo(412);
		assertThat(scim.send("DELETE", path, null, etag).statusCode()).isEqualTo(412);
		assertThat(ScimApi.json(scim.get(path)).get("name").get("givenName").stringValue()).isEqualTo("Etag2");

		assertThat(scim.send("DELETE", path, null, newEtag).statusCode()).isEqualTo(204);
		HttpResponse<String> gone = scim.get(path);
		assertThat(gone.statusCode()).isEqualTo(404);
		assertThat(ScimApi.json(gone).get("detail").stringValue()).contains(REALM);
		assertThat(this.audit.newest(REALM, AuditEventType.ACCOUNT_DELETED, created.get("id").stringValue(), 5))
			.hasSize(1);
	}

	@Test
	void patchWhenPathsWithValueFiltersThenOnlyThoseValuesChange() {
		ScimApi scim = scim();
		String r = unique();
		JsonNode created = scim.create(user("patch-" + r, "Before", "Family", "old." + r + "@x.example", true, null,
				null));
		String id = created.get("id").stringValue();
		String path = "/Users/" + id;
		String operations = """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				  {"op": "Replace", "path": "name.givenName", "value": "After"},
				  {"op": "replace", "path": "emails[type eq \\"work\\"].value", "value": "new.%s@x.example"},
				  {"op": "add", "value": {"displayName": "Shown", "%s": {"employeeNumber": "P%s"}}},
				  {"op": "replace", "path": "active", "value": false},
				  {"op": "add", "path": "externalId", "value": "hr-%s"}
				]}""".formatted(r, ScimApi.ENTERPRISE, r, r);
		HttpResponse<String> patched = scim.send("PATCH", path, operations, null);
		assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
		JsonNode user = ScimApi.json(patched);
		assertThat(user.get("name").get("givenName").stringValue()).isEqualTo("After");
		assertThat(user.get("name").get("familyName").stringValue()).isEqualTo("Family");
		assertThat(user.get("emails").get(0).get("value").stringValue()).isEqualTo("new." + r + "@x.example");
		assertThat(user.get("displayName").stringValue()).isEqualTo("Shown");
		assertThat(user.get("active").booleanValue()).isFalse();
		assertThat(user.get("externalId").stringValue()).isEqualTo("hr-" + r);
		assertThat(user.get(ScimApi.ENTERPRISE).get("employeeNumber").stringValue()).isEqualTo("P" + r);

		String remove = """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				  {"op": "remove", "path": "displayName"},
				  {"op": "remove", "path": "emails[value ew \\"@x.example\\"]"}
				]}""";
		JsonNode removed = ScimApi.json(scim.send("PATCH", path, remove, null));
		assertThat(removed.get("displayName").stringValue()).as("back to the formatted name").isEqualTo("Family After");
		assertThat(removed.has("emails")).isFalse();
		assertThat(this.audit.newest(REALM, AuditEventType.ACCOUNT_UPDATED, id, 5)).hasSize(2);
		assertThat(this.audit.newest(REALM, AuditEventType.ACCOUNT_DISABLED, id, 5)).hasSize(1);

		assertPatchRefused(scim, path, "{\"op\": \"remove\", \"path\": \"emails[type eq \\\"home\\\"]\"}", "noTarget");
		assertPatchRefused(scim, path, "{\"op\": \"replace\", \"path\": \"meta.created\", \"value\": \"x\"}",
				"mutability");
		assertPatchRefused(scim, path, "{\"op\": \"replace\", \"path\": \"emails[type eq\", \"value\": \"x\"}",
				"invalidPath");
		assertPatchRefused(scim, path, "{\"op\": \"move\", \"path\": \"userName\", \"value\": \"x\"}",
				"invalidSyntax");
		assertPatchRefused(scim, path, "{\"op\": \"remove\", \"path\": \"userName\"}", "invalidValue");
		assertPatchRefused(scim, path, "{\"op\": \"remove\", \"path\": \"" + ScimApi.ENTERPRISE + ":employeeNumber\"}",
				"mutability");
		assertThat(ScimApi.json(scim.get(path)).get("userName").stringValue()).isEqualTo("patch-" + r);
	}

	private static void assertPatchRefused(ScimApi scim, String path, String operation, String scimType) {
		HttpResponse<String> response = scim.send("PATCH", path,
				"{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\": [" + operation
						+ "]}",
				null);
		assertThat(response.statusCode()).as(operation + " " + response.body()).isEqualTo(400);
		assertThat(ScimApi.json(response).get("scimType").stringValue()).as(operation).isEqualTo(scimType);
	}

	@Test
	void createWhenUserNameTakenOrFieldsBadThenScimErrorsNamingThem() {
		ScimApi scim = scim();
		String name = "dup-" + unique();
		scim.create(user(name, "A", "B", null, true, null, null));
		HttpResponse<String> taken = scim.send("POST", "/Users", user(name.toUpperCase(), "A", "B", null, true, null,
				null), null);
		assertThat(taken.statusCode()).isEqualTo(409);
		assertThat(ScimApi.json(taken).get("scimType").stringValue()).isEqualTo("uniqueness");
		HttpResponse<String> bad = scim.send("POST", "/Users",
				"{\"userName\": 5, \"active\": \"yes\", \"emails\": [{\"value\": \"not-an-address\"}]}", null);
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(ScimApi.json(bad).get("detail").stringValue()).contains("userName").contains("active");
		HttpResponse<String> notJson = scim.send("POST", "/Users", "{", null);
		assertThat(ScimApi.json(notJson).get("scimType").stringValue()).isEqualTo("invalidSyntax");
	}

	@Test
	void callWhenNoTokenOrRoleOrRealmThenScimErrors() {
		HttpResponse<String> anonymous = new ScimApi(this, REALM, null).get("/Users");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		assertThat(ScimApi.json(anonymous).get("schemas").get(0).stringValue()).isEqualTo(ScimApi.ERROR);
		assertThat(new ScimApi(this, REALM, "garbage").get("/Users").statusCode()).isEqualTo(401);

		String helpdesk = new AdminApi(this).token("scim-helpdesk", "scim-helpdesk-test-pass-0001");
		HttpResponse<String> forbidden = new ScimApi(this, REALM, helpdesk).get("/Users");
		assertThat(forbidden.statusCode()).isEqualTo(403);
		assertThat(ScimApi.json(forbidden).get("detail").stringValue()).contains(REALM);
		scim();
		assertThat(new ScimApi(this, "guarded", feederToken).get("/Users").statusCode())
			.as("the role is for one realm").isEqualTo(403);
		assertThat(new ScimApi(this, "no-such-realm", feederToken).get("/Users").statusCode()).isEqualTo(404);
	}

	@Test
	void discoveryWhenReadThenAdvertisesWhatIsSupported() {
		ScimApi scim = scim();
		JsonNode config = ScimApi.json(scim.get("/ServiceProviderConfig"));
		assertThat(config.get("bulk").get("maxOperations").asInt()).isEqualTo(1000);
		assertThat(config.get("bulk").get("maxPayloadSize").asInt()).isEqualTo(1_048_576);
		assertThat(config.get("filter").get("supported").booleanValue()).isTrue();
		assertThat(config.get("etag").get("supported").booleanValue()).isTrue();
		JsonNode types = ScimApi.json(scim.get("/ResourceTypes"));
		assertThat(types.get("totalResults").asInt()).as("Users and Groups").isEqualTo(2);
		assertThat(ScimApi.json(scim.get("/Schemas/" + ScimApi.ENTERPRISE)).get("attributes").toString())
			.contains("employeeNumber");
	}

}
