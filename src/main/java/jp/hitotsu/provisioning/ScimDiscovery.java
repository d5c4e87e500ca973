package jp.hitotsu.provisioning;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the SCIM service of a realm supports (RFC 7644 §4, RFC 7643 §5-7): the
 * ServiceProviderConfig, the resource types (User, Group) and the schemas of the attributes
 * Hitotsu keeps.
 */
final class ScimDiscovery {

	static final String LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

	static final int MAX_OPERATIONS = 1000;

	static final int MAX_PAYLOAD_SIZE = 1_048_576;

	private ScimDiscovery() {
	}

	static ObjectNode serviceProviderConfig(String base) {
		ObjectNode config = ScimUserSchema.NODES.objectNode();
		config.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
		config.put("documentationUri", "https://github.com/hitotsu/hitotsu#scim-20");
		config.putObject("patch").put("supported", true);
		config.putObject("bulk")
			.put("supported", true)
			.put("maxOperations", MAX_OPERATIONS)
			.put("maxPayloadSize", MAX_PAYLOAD_SIZE);
		config.putObject("filter").put("supported", true).put("maxResults", ScimUsers.MAX_RESULTS);
		config.putObject("changePassword").put("supported", false);
		config.putObject("sort").put("supported", true);
		config.putObject("etag").put("supported", true);
		config.putArray("authenticationSchemes")
			.addObject()
			.put("type", "oauthbearertoken")
			.put("name", "OAuth Bearer Token")
			.put("description", "An access token of the admin realm with the role scim:REALM (or realm-admin), or a"
					+ " client-credentials access token of the realm itself with scope scim")
			.put("primary", true);
		config.putObject("meta")
			.put("resourceType", "ServiceProviderConfig")
			.put("location", base + "/ServiceProviderConfig");
		return config;
	}

	static ObjectNode userResourceType(String base) {
		ObjectNode type = resourceType(base, "User", "Accounts of the realm", ScimUserSchema.USER);
		((ArrayNode) type.get("schemaExtensions")).addObject().put("schema", ScimUserSchema.ENTERPRISE).put("required", false);
		return type;
	}

	static ObjectNode groupResourceType(String base) {
		return resourceType(base, "Group", "Groups of the directory: role rules may name them", ScimGroups.GROUP);
	}

	private static ObjectNode resourceType(String base, String name, String description, String schema) {
		ObjectNode type = ScimUserSchema.NODES.objectNode();
		type.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ResourceType");
		type.put("id", name).put("name", name).put("endpoint", "/" + name + "s").put("description", description);
		type.put("schema", schema);
		type.putArray("schemaExtensions");
		type.putObject("meta").put("resourceType", "ResourceType").put("location", base + "/ResourceTypes/" + name);
		return type;
	}

	static ObjectNode userSchema(String base) {
		ObjectNode schema = schema(base, ScimUserSchema.USER, "User", "User Account");
		ArrayNode attributes = schema.putArray("attributes");
		attributes.add(attribute("userName", "string", true, "readWrite", "server", false));
		attributes.add(attribute("externalId", "string", false, "readWrite", "none", true));
		ObjectNode name = attribute("name", "complex", false, "readWrite", "none", false);
		ArrayNode names = name.putArray("subAttributes");
		names.add(attribute("familyName", "string", false, "readWrite", "none", false));
		names.add(attribute("givenName", "string", false, "readWrite", "none", false));
		names.add(attribute("formatted", "string", false, "readOnly", "none", false));
		attributes.add(name);
		attributes.add(attribute("displayName", "string", false, "readWrite", "none", false));
		ObjectNode emails = attribute("emails", "complex", false, "readWrite", "none", false).put("multiValued", true);
		ArrayNode email = emails.putArray("subAttributes");
		email.add(attribute("value", "string", false, "readWrite", "none", false));
		email.add(attribute("type", "string", false, "readWrite", "none", false));
		email.add(attribute("primary", "boolean", false, "readWrite", "none", false));
		attributes.add(emails);
		attributes.add(attribute("active", "boolean", false, "readWrite", "none", false));
		ObjectNode groups = attribute("groups", "complex", false, "readOnly", "none", false).put("multiValued", true);
		groups.putArray("subAttributes")
			.add(attribute("value", "string", false, "readOnly", "none", false))
			.add(reference("$ref", "readOnly", "Group"))
			.add(attribute("display", "string", false, "readOnly", "none", false))
			.add(attribute("type", "string", false, "readOnly", "none", false));
		attributes.add(groups);
		return schema;
	}

	static ObjectNode enterpriseSchema(String base) {
		ObjectNode schema = schema(base, ScimUserSchema.ENTERPRISE, "EnterpriseUser", "Staff data of the directory");
		ArrayNode attributes = schema.putArray("attributes");
		attributes.add(attribute("employeeNumber", "string", false, "readWrite", "server", true));
		attributes.add(attribute("organization", "string", false, "readOnly", "none", false));
		attributes.add(attribute("department", "string", false, "readOnly", "none", false));
		ObjectNode manager = attribute("manager", "complex", false, "readWrite", "none", false);
		manager.putArray("subAttributes")
			.add(attribute("value", "string", false, "readWrite", "none", false))
			.add(reference("$ref", "readOnly", "User"))
			.add(attribute("displayName", "string", false, "readOnly", "none", false));
		attributes.add(manager);
		return schema;
	}

	static ObjectNode groupSchema(String base) {
		ObjectNode schema = schema(base, ScimGroups.GROUP, "Group", "Group");
		ArrayNode attributes = schema.putArray("attributes");
		attributes.add(attribute("displayName", "string", true, "readWrite", "none", false));
		attributes.add(attribute("externalId", "string", false, "readWrite", "none", true));
		ObjectNode members = attribute("members", "complex", false, "readWrite", "none", false)
			.put("multiValued", true);
		members.putArray("subAttributes")
			.add(attribute("value", "string", false, "immutable", "none", false))
			.add(reference("$ref", "immutable", "User"))
			.add(attribute("display", "string", false, "readOnly", "none", false))
			.add(attribute("type", "string", false, "immutable", "none", false));
		attributes.add(members);
		return schema;
	}

	private static ObjectNode reference(String name, String mutability, String referenceType) {
		ObjectNode reference = attribute(name, "reference", false, mutability, "none", false);
		reference.putArray("referenceTypes").add(referenceType);
		return reference;
	}

	static ObjectNode list(long total, int startIndex, Iterable<ObjectNode> resources) {
		ObjectNode list = ScimUserSchema.NODES.objectNode();
		list.putArray("schemas").add(LIST);
		list.put("totalResults", total);
		list.put("startIndex", startIndex);
		ArrayNode page = list.putArray("Resources");
		resources.forEach(page::add);
		list.put("itemsPerPage", page.size());
		return list;
	}

	private static ObjectNode schema(String base, String id, String name, String description) {
		ObjectNode schema = ScimUserSchema.NODES.objectNode();
		schema.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Schema");
		schema.put("id", id).put("name", name).put("description", description);
		schema.putObject("meta").put("resourceType", "Schema").put("location", base + "/Schemas/" + id);
		return schema;
	}

	private static ObjectNode attribute(String name, String type, boolean required, String mutability,
			String uniqueness, boolean caseExact) {
		return ScimUserSchema.NODES.objectNode()
			.put("name", name)
			.put("type", type)
			.put("multiValued", false)
			.put("required", required)
			.put("caseExact", caseExact)
			.put("mutability", mutability)
			.put("returned", "default")
			.put("uniqueness", uniqueness);
	}

}
