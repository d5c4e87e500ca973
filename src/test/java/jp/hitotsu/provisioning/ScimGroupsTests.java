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
 * SCIM Groups of realm "provisioned" over HTTP with the examples of RFC 7643 §8.4 (the group
 * "Tour Guides") and RFC 7644 §3.5.2 (PATCH of members), Users' {@code groups}, filters,
 * ETags, Bulk, discovery and the enterprise extension's {@code manager}.
 */
class ScimGroupsTests extends ServerTest {

	private static final String REALM = "provisioned";

	private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

	private static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

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

	/** A user as RFC 7643 §8.1 writes Babs Jensen, under a name of its own. */
	private static String user(String userName, String displayName) {
		return """
				{"schemas": ["%s"], "userName": %s, "displayName": %s,
				 "name": {"familyName": "Jensen", "givenName": "Barbara"}}
				""".formatted(ScimApi.USER, ScimApi.quote(userName), ScimApi.quote(displayName));
	}

	private static String patch(String operations) {
		return "{\"schemas\": [\"" + PATCH + "\"], \"Operations\": [" + operations + "]}";
	}

	private static List<String> memberIds(JsonNode group) {
		List<String> ids = new ArrayList<>();
		if (group.has("members")) {
			group.get("members").forEach((member) -> ids.add(member.get("value").stringValue()));
		}
		return ids;
	}

	private JsonNode group(ScimApi scim, String id) {
		HttpResponse<String> response = scim.get("/Groups/" + id);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return ScimApi.json(response);
	}

	private JsonNode created(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return ScimApi.json(response);
	}

	@Test
	void groupWhenTourGuidesOfRfc7643ThenShownWithMembersAndUsersShowTheGroup() {
		ScimApi scim = scim();
		String r = unique();
		JsonNode babs = scim.create(user("bjensen-" + r, "Babs Jensen"));
		JsonNode mandy = scim.create(user("mpepperidge-" + r, "Mandy Pepperidge"));
		String babsId = babs.get("id").stringValue();
		String mandyId = mandy.get("id").stringValue();

		HttpResponse<String> response = scim.send("POST", "/Groups", """
				{"schemas": ["%s"], "displayName": "Tour Guides %s", "externalId": "tg-%s",
				 "members": [{"value": "%s", "display": "Babs Jensen"}, {"value": "%s", "display": "Mandy Pepperidge"}]}
				""".formatted(GROUP, r, r, babsId, mandyId), null);
		JsonNode group = created(response);
		String id = group.get("id").stringValue();
		assertThat(response.headers().firstValue("Location")).hasValue(this.uri("/scim/v2/realms/provisioned/Groups/"
				+ id).toString());
		assertThat(response.headers().firstValue("ETag")).hasValue("W/\"1\"");
		assertThat(group.get("schemas").get(0).stringValue()).isEqualTo(GROUP);
		assertThat(group.get("displayName").stringValue()).isEqualTo("Tour Guides " + r);
		assertThat(group.get("externalId").stringValue()).isEqualTo("tg-" + r);
		assertThat(group.get("meta").get("resourceType").stringValue()).isEqualTo("Group");
		JsonNode first = group.get("members").get(0);
		assertThat(first.get("value").stringValue()).isEqualTo(babsId);
		assertThat(first.get("display").stringValue()).isEqualTo("Babs Jensen");
		assertThat(first.get("$ref").stringValue()).endsWith("/scim/v2/realms/provisioned/Users/" + babsId);
		assertThat(memberIds(group)).containsExactly(babsId, mandyId);

		JsonNode babsNow = ScimApi.json(scim.get("/Users/" + babsId));
		JsonNode memberOf = babsNow.get("groups").get(0);
		assertThat(memberOf.get("value").stringValue()).isEqualTo(id);
		assertThat(memberOf.get("display").stringValue()).isEqualTo("Tour Guides " + r);
		assertThat(memberOf.get("$ref").stringValue()).endsWith("/Groups/" + id);
		// groups is read-only (RFC 7643 §4.1.2): a PATCH may not write it
		HttpResponse<String> refused = scim.send("PATCH", "/Users/" + babsId,
				patch("{\"op\": \"remove\", \"path\": \"groups\"}"), null);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(ScimApi.json(refused).get("scimType").stringValue()).isEqualTo("mutability");

		assertThat(this.audit.newest(REALM, AuditEventType.GROUP_CREATED, null, 50))
			.anyMatch((event) -> id.equals(String.valueOf(event.event().details().get("group"))));
	}

	@Test
	void patchWhenRfc7644MemberExamplesThenMembersChangeOneByOneAndVersionRises() {
		ScimApi scim = scim();
		String r = unique();
		String a = scim.create(user("pa-" + r, "A")).get("id").stringValue();
		String b = scim.create(user("pb-" + r, "B")).get("id").stringValue();
		String c = scim.create(user("pc-" + r, "C")).get("id").stringValue();
		String id = created(scim.send("POST", "/Groups",
				"{\"schemas\": [\"" + GROUP + "\"], \"displayName\": \"Patched " + r + "\"}", null)).get("id")
			.stringValue();

		// §3.5.2.1: add members
		HttpResponse<String> added = scim.send("PATCH", "/Groups/" + id, patch("""
				{"op": "add", "path": "members",
				 "value": [{"display": "A", "$ref": "https://example.com/v2/Users/%s", "value": "%s"},
				           {"value": "%s"}]}""".formatted(a, a, b)), null);
		assertThat(added.statusCode()).as(added.body()).isEqualTo(204);
		assertThat(added.headers().firstValue("ETag")).hasValue("W/\"2\"");
		assertThat(memberIds(group(scim, id))).containsExactlyInAnyOrder(a, b);

		// §3.5.2.2: remove one member by a value filter
		assertThat(scim.send("PATCH", "/Groups/" + id,
				patch("{\"op\": \"remove\", \"path\": \"members[value eq \\\"" + a + "\\\"]\"}"), null).statusCode())
			.isEqualTo(204);
		assertThat(memberIds(group(scim, id))).containsExactly(b);

		// §3.5.2.2: remove one and add another in one request
		assertThat(scim.send("PATCH", "/Groups/" + id, patch("""
				{"op": "remove", "path": "members[value eq \\"%s\\"]"},
				{"op": "add", "path": "members", "value": [{"value": "%s"}]}""".formatted(b, c)), null).statusCode())
			.isEqualTo(204);
		assertThat(memberIds(group(scim, id))).containsExactly(c);

		// §3.5.2.3: replace all members, and the display name without a path
		HttpResponse<String> replaced = scim.send("PATCH", "/Groups/" + id + "?excludedAttributes=members", patch("""
				{"op": "replace", "path": "members", "value": [{"value": "%s"}, {"value": "%s"}]},
				{"op": "replace", "value": {"displayName": "Renamed %s"}}""".formatted(a, b, r)), null);
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
		assertThat(ScimApi.json(replaced).has("members")).isFalse();
		assertThat(ScimApi.json(replaced).get("displayName").stringValue()).isEqualTo("Renamed " + r);
		assertThat(memberIds(group(scim, id))).containsExactlyInAnyOrder(a, b);

		// §3.5.2.2: remove all members
		assertThat(scim.send("PATCH", "/Groups/" + id, patch("{\"op\": \"remove\", \"path\": \"members\"}"), null)
			.statusCode()).isEqualTo(204);
		JsonNode empty = group(scim, id);
		assertThat(memberIds(empty)).isEmpty();
		assertThat(empty.get("meta").get("version").stringValue()).isEqualTo("W/\"6\"");

		assertThat(this.audit.newest(REALM, AuditEventType.GROUP_UPDATED, null, 50))
			.anyMatch((event) -> id.equals(String.valueOf(event.event().details().get("group")))
					&& String.valueOf(event.event().details().get("removed")).contains(a));
	}

	@Test
	void writesWhenMemberUnknownOrBadThenRefusedNamingItAndNothingChanges() {
		ScimApi scim = scim();
		String r = unique();
		String a = scim.create(user("ua-" + r, "A")).get("id").stringValue();
		String stranger = UUID.randomUUID().toString();
		HttpResponse<String> unknown = scim.send("POST", "/Groups", """
				{"schemas": ["%s"], "displayName": "Bad %s", "members": [{"value": "%s"}, {"value": "%s"}]}
				""".formatted(GROUP, r, a, stranger), null);
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(ScimApi.json(unknown).get("scimType").stringValue()).isEqualTo("invalidValue");
		assertThat(ScimApi.json(unknown).get("detail").stringValue()).contains(stranger).contains("provisioned");
		assertThat(ScimApi.json(scim.get("/Groups?filter=" + java.net.URLEncoder.encode("displayName eq \"Bad " + r
				+ "\"", java.nio.charset.StandardCharsets.UTF_8))).get("totalResults").intValue()).isZero();

		String id = created(scim.send("POST", "/Groups",
				"{\"schemas\": [\"" + GROUP + "\"], \"displayName\": \"Good " + r + "\", \"members\": [{\"value\": \""
						+ a + "\"}]}", null)).get("id").stringValue();
		HttpResponse<String> notUuid = scim.language("ja").send("PATCH", "/Groups/" + id,
				patch("{\"op\": \"add\", \"path\": \"members\", \"value\": [{\"value\": \"bjensen\"}]}"), null);
		assertThat(notUuid.statusCode()).isEqualTo(400);
		assertThat(ScimApi.json(notUuid).get("detail").stringValue()).contains("bjensen").contains("ユーザーではありません");
		scim.language("en");
		assertThat(scim.send("PATCH", "/Groups/" + id, patch("{\"op\": \"remove\", \"path\": \"displayName\"}"), null)
			.statusCode()).isEqualTo(400);
		assertThat(scim.send("PATCH", "/Groups/" + id, patch("{\"op\": \"add\", \"path\": \"members[value eq \\\""
				+ a + "\\\"]\", \"value\": {\"value\": \"" + a + "\"}}"), null).statusCode()).isEqualTo(400);
		assertThat(scim.send("POST", "/Groups", "{\"schemas\": [\"" + GROUP + "\"]}", null).statusCode())
			.isEqualTo(400);
		assertThat(scim.send("POST", "/Groups", "{\"displayName\": 3}", null).statusCode()).isEqualTo(400);
		assertThat(memberIds(group(scim, id))).containsExactly(a);
		assertThat(scim.get("/Groups/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
		assertThat(scim.get("/Groups/not-an-id").statusCode()).isEqualTo(404);
	}

	@Test
	void listWhenFilteredSortedAndPagedThenMatchesAndHidesMembersWhenExcluded() {
		ScimApi scim = scim();
		String r = unique();
		String a = scim.create(user("la-" + r, "A")).get("id").stringValue();
		for (String name : List.of("Charlie", "alpha", "Bravo")) {
			created(scim.send("POST", "/Groups", """
					{"schemas": ["%s"], "displayName": "%s %s", "externalId": "%s-%s", "members": %s}
					""".formatted(GROUP, r, name, name, r,
					name.equals("Bravo") ? "[{\"value\": \"" + a + "\"}]" : "[]"), null));
		}
		String mine = "displayName sw \"" + r + "\"";
		JsonNode sorted = ScimApi.json(scim.get("/Groups?sortBy=displayName&count=2&filter="
				+ java.net.URLEncoder.encode(mine, java.nio.charset.StandardCharsets.UTF_8)));
		assertThat(sorted.get("totalResults").intValue()).isEqualTo(3);
		assertThat(sorted.get("Resources").get(0).get("displayName").stringValue()).isEqualTo(r + " alpha");
		assertThat(sorted.get("Resources").get(1).get("displayName").stringValue()).isEqualTo(r + " Bravo");
		JsonNode second = ScimApi.json(scim.get("/Groups?sortBy=displayName&startIndex=3&count=2&filter="
				+ java.net.URLEncoder.encode(mine, java.nio.charset.StandardCharsets.UTF_8)));
		assertThat(second.get("Resources").get(0).get("displayName").stringValue()).isEqualTo(r + " Charlie");

		JsonNode byMember = ScimApi.json(scim.get("/Groups?excludedAttributes=members&filter="
				+ java.net.URLEncoder.encode(mine + " and members[value eq \"" + a + "\"]",
						java.nio.charset.StandardCharsets.UTF_8)));
		assertThat(byMember.get("totalResults").intValue()).isEqualTo(1);
		assertThat(byMember.get("Resources").get(0).has("members")).isFalse();
		assertThat(byMember.get("Resources").get(0).get("externalId").stringValue()).isEqualTo("Bravo-" + r);
		JsonNode byExternal = ScimApi.json(scim.send("POST", "/Groups/.search", """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "attributes": ["displayName"],
				 "filter": "externalId eq \\"Charlie-%s\\" or members.value eq \\"%s\\""}""".formatted(r, a), null));
		assertThat(byExternal.get("totalResults").intValue()).isEqualTo(2);
		assertThat(byExternal.get("Resources").get(0).has("externalId")).isFalse();
		for (String bad : List.of("members.display eq \"x\"", "displayName zz \"x\"", "id gt \"x\"")) {
			HttpResponse<String> refused = scim.get("/Groups?filter="
					+ java.net.URLEncoder.encode(bad, java.nio.charset.StandardCharsets.UTF_8));
			assertThat(refused.statusCode()).as(bad).isEqualTo(400);
			assertThat(ScimApi.json(refused).get("scimType").stringValue()).isEqualTo("invalidFilter");
		}
	}

	@Test
	void etagsWhenStaleThenRefusedAndDeleteEndsTheGroup() {
		ScimApi scim = scim();
		String r = unique();
		HttpResponse<String> response = scim.send("POST", "/Groups",
				"{\"schemas\": [\"" + GROUP + "\"], \"displayName\": \"Tagged " + r + "\"}", null);
		String id = created(response).get("id").stringValue();
		assertThat(scim.send("GET", "/Groups/" + id, null, "W/\"1\"").statusCode()).isEqualTo(304);
		HttpResponse<String> put = scim.send("PUT", "/Groups/" + id,
				"{\"schemas\": [\"" + GROUP + "\"], \"displayName\": \"Tagged again " + r + "\"}", "W/\"1\"");
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
		assertThat(put.headers().firstValue("ETag")).hasValue("W/\"2\"");
		assertThat(scim.send("PATCH", "/Groups/" + id, patch("{\"op\": \"replace\", \"path\": \"displayName\", "
				+ "\"value\": \"x\"}"), "W/\"1\"").statusCode()).isEqualTo(412);
		assertThat(scim.send("DELETE", "/Groups/" + id, null, "W/\"1\"").statusCode()).isEqualTo(412);
		assertThat(scim.send("DELETE", "/Groups/" + id, null, "W/\"2\"").statusCode()).isEqualTo(204);
		assertThat(scim.get("/Groups/" + id).statusCode()).isEqualTo(404);
		assertThat(this.audit.newest(REALM, AuditEventType.GROUP_DELETED, null, 50))
			.anyMatch((event) -> id.equals(String.valueOf(event.event().details().get("group"))));
	}

	@Test
	void bulkWhenGroupNamesUserCreatedEarlierThenBothExistAndDiscoveryListsGroups() {
		ScimApi scim = scim();
		String r = unique();
		HttpResponse<String> bulk = scim.send("POST", "/Bulk", """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [
				 {"method": "POST", "path": "/Users", "bulkId": "u1",
				  "data": {"schemas": ["%s"], "userName": "bulk-g-%s"}},
				 {"method": "POST", "path": "/Groups", "bulkId": "g1",
				  "data": {"schemas": ["%s"], "displayName": "Bulk %s", "members": [{"value": "bulkId:u1"}]}},
				 {"method": "PATCH", "path": "/Groups/bulkId:g1",
				  "data": {"schemas": ["%s"], "Operations": [{"op": "replace", "path": "displayName", "value": "Bulk2 %s"}]}}
				]}""".formatted(ScimApi.USER, r, GROUP, r, PATCH, r), null);
		assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
		JsonNode results = ScimApi.json(bulk).get("Operations");
		assertThat(results.get(1).get("status").stringValue()).isEqualTo("201");
		assertThat(results.get(2).get("status").stringValue()).as(bulk.body()).isEqualTo("204");
		String location = results.get(1).get("location").stringValue();
		JsonNode group = group(scim, location.substring(location.lastIndexOf('/') + 1));
		assertThat(group.get("displayName").stringValue()).isEqualTo("Bulk2 " + r);
		assertThat(group.get("members").get(0).get("display")).isNull();
		assertThat(memberIds(group)).hasSize(1);

		JsonNode types = ScimApi.json(scim.get("/ResourceTypes"));
		assertThat(types.get("totalResults").intValue()).isEqualTo(2);
		assertThat(ScimApi.json(scim.get("/ResourceTypes/Group")).get("endpoint").stringValue()).isEqualTo("/Groups");
		assertThat(ScimApi.json(scim.get("/Schemas/" + GROUP)).get("attributes").toString()).contains("members");
		assertThat(ScimApi.json(scim.get("/Schemas/" + ScimApi.ENTERPRISE)).get("attributes").toString())
			.contains("manager");
	}

	@Test
	void managerWhenSetThenReadableFilterableAndUnknownOneRefused() {
		ScimApi scim = scim();
		String r = unique();
		String boss = scim.create("""
				{"schemas": ["%s", "%s"], "userName": "boss-%s", "displayName": "Boss %s",
				 "name": {"familyName": "Boss", "givenName": "B"}, "%s": {"employeeNumber": "M%s"}}
				""".formatted(ScimApi.USER, ScimApi.ENTERPRISE, r, r, ScimApi.ENTERPRISE, r)).get("id").stringValue();
		JsonNode worker = scim.create("""
				{"schemas": ["%s", "%s"], "userName": "worker-%s", "name": {"familyName": "W", "givenName": "W"},
				 "%s": {"employeeNumber": "W%s", "manager": {"value": "%s"}}}
				""".formatted(ScimApi.USER, ScimApi.ENTERPRISE, r, ScimApi.ENTERPRISE, r, boss));
		JsonNode manager = worker.get(ScimApi.ENTERPRISE).get("manager");
		assertThat(manager.get("value").stringValue()).isEqualTo(boss);
		assertThat(manager.get("displayName").stringValue()).isEqualTo("Boss " + r);
		assertThat(manager.get("$ref").stringValue()).endsWith("/Users/" + boss);

		JsonNode found = ScimApi.json(scim.filter(ScimApi.ENTERPRISE + ":manager.value eq \"" + boss + "\"", ""));
		assertThat(found.get("totalResults").intValue()).isEqualTo(1);
		assertThat(found.get("Resources").get(0).get("userName").stringValue()).isEqualTo("worker-" + r);

		String stranger = UUID.randomUUID().toString();
		HttpResponse<String> unknown = scim.send("PATCH", "/Users/" + worker.get("id").stringValue(), patch(
				"{\"op\": \"replace\", \"path\": \"" + ScimApi.ENTERPRISE + ":manager.value\", \"value\": \"" + stranger
						+ "\"}"), null);
		assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
		assertThat(ScimApi.json(unknown).get("scimType").stringValue()).isEqualTo("invalidValue");
		assertThat(ScimApi.json(unknown).get("detail").stringValue()).contains(stranger).contains("manager");
		HttpResponse<String> removed = scim.send("PATCH", "/Users/" + worker.get("id").stringValue(), patch(
				"{\"op\": \"remove\", \"path\": \"" + ScimApi.ENTERPRISE + ":manager\"}"), null);
		assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
		assertThat(ScimApi.json(removed).get(ScimApi.ENTERPRISE).has("manager")).isFalse();
	}

}
