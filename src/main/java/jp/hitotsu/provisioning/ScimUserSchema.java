package jp.hitotsu.provisioning;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jp.hitotsu.account.AccountCondition;
import jp.hitotsu.account.AccountField;
import jp.hitotsu.account.AccountFieldException;
import jp.hitotsu.account.AccountFields;
import jp.hitotsu.account.AccountRecord;
import jp.hitotsu.account.AccountVersions;
import jp.hitotsu.directory.DirectoryGroups;
import jp.hitotsu.directory.DirectoryService.StaffSummary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The SCIM User (RFC 7643 §4.1) with the enterprise extension (§4.3) as Hitotsu keeps it:
 * what an account looks like in JSON, what a JSON body sets, and which attributes filters
 * and sorting may use. One e-mail address per account (type {@code work}, primary).
 */
final class ScimUserSchema {

	static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";

	static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final JsonNodeFactory NODES = JSON.getNodeFactory();

	private static final String EMAIL_TYPE = "work";

	private ScimUserSchema() {
	}

	/** The attributes filters and sorting know, each with the account field behind it (if any). */
	enum Attribute {

		ID(AccountField.ID), USER_NAME(AccountField.USERNAME), EXTERNAL_ID(AccountField.EXTERNAL_ID),
		DISPLAY_NAME(AccountField.DISPLAY_NAME), GIVEN_NAME(AccountField.GIVEN_NAME),
		FAMILY_NAME(AccountField.FAMILY_NAME), FORMATTED(null), EMAIL_VALUE(AccountField.EMAIL), EMAIL_TYPE(null),
		EMAIL_PRIMARY(null), ACTIVE(AccountField.ENABLED), CREATED(AccountField.CREATED),
		LAST_MODIFIED(AccountField.UPDATED), EMPLOYEE_NUMBER(AccountField.EMPLOYEE_NUMBER), ORGANIZATION(null),
		DEPARTMENT(null), MANAGER(AccountField.MANAGER);

		final AccountField field;

		Attribute(AccountField field) {
			this.field = field;
		}

	}

	static Attribute attribute(ScimPath path) {
		String schema = path.schema();
		String name = path.attribute().toLowerCase(Locale.ROOT);
		String sub = (path.subAttribute() != null) ? path.subAttribute().toLowerCase(Locale.ROOT) : null;
		Attribute found = null;
		if (schema == null || schema.equalsIgnoreCase(USER)) {
			found = switch (name + ((sub != null) ? "." + sub : "")) {
				case "id" -> Attribute.ID;
				case "username" -> Attribute.USER_NAME;
				case "externalid" -> Attribute.EXTERNAL_ID;
				case "displayname" -> Attribute.DISPLAY_NAME;
				case "name.givenname" -> Attribute.GIVEN_NAME;
				case "name.familyname" -> Attribute.FAMILY_NAME;
				case "name.formatted" -> Attribute.FORMATTED;
				case "emails", "emails.value" -> Attribute.EMAIL_VALUE;
				case "emails.type" -> Attribute.EMAIL_TYPE;
				case "emails.primary" -> Attribute.EMAIL_PRIMARY;
				case "active" -> Attribute.ACTIVE;
				case "meta.created" -> Attribute.CREATED;
				case "meta.lastmodified" -> Attribute.LAST_MODIFIED;
				default -> null;
			};
		}
		else if (schema.equalsIgnoreCase(ENTERPRISE)) {
			found = switch (name + ((sub != null) ? "." + sub : "")) {
				case "employeenumber" -> Attribute.EMPLOYEE_NUMBER;
				case "organization" -> Attribute.ORGANIZATION;
				case "department" -> Attribute.DEPARTMENT;
				case "manager", "manager.value" -> Attribute.MANAGER;
				default -> null;
			};
		}
		if (found == null) {
			throw ScimException.invalidFilter("unknown-attribute", path.toString());
		}
		return found;
	}

	/** A filter as a condition on accounts; refuses what cannot be searched. */
	static AccountCondition condition(ScimFilter filter) {
		if (filter instanceof ScimFilter.And and) {
			return new AccountCondition.All(List.of(condition(and.left()), condition(and.right())));
		}
		if (filter instanceof ScimFilter.Or or) {
			return new AccountCondition.Any(List.of(condition(or.left()), condition(or.right())));
		}
		if (filter instanceof ScimFilter.Not not) {
			return new AccountCondition.Not(condition(not.filter()));
		}
		if (filter instanceof ScimFilter.ValuePath valuePath) {
			if (attribute(valuePath.path()) != Attribute.EMAIL_VALUE || valuePath.path().subAttribute() != null) {
				throw ScimException.invalidFilter("not-multi-valued", valuePath.path().toString());
			}
			return emailCondition(valuePath.filter());
		}
		if (filter instanceof ScimFilter.Present present) {
			return present(attribute(present.path()));
		}
		ScimFilter.Compare compare = (ScimFilter.Compare) filter;
		return compare(compare.path(), attribute(compare.path()), compare.operator(), compare.value());
	}

	/** The filter inside {@code emails[...]}: its paths name sub-attributes of an e-mail. */
	private static AccountCondition emailCondition(ScimFilter filter) {
		if (filter instanceof ScimFilter.And and) {
			return new AccountCondition.All(List.of(emailCondition(and.left()), emailCondition(and.right())));
		}
		if (filter instanceof ScimFilter.Or or) {
			return new AccountCondition.Any(List.of(emailCondition(or.left()), emailCondition(or.right())));
		}
		if (filter instanceof ScimFilter.Not not) {
			return new AccountCondition.Not(emailCondition(not.filter()));
		}
		if (filter instanceof ScimFilter.ValuePath valuePath) {
			throw ScimException.invalidFilter("nested-value-path", valuePath.path().toString());
		}
		ScimPath path = (filter instanceof ScimFilter.Present present) ? present.path()
				: ((ScimFilter.Compare) filter).path();
		if (path.schema() != null || path.subAttribute() != null) {
			throw ScimException.invalidFilter("unknown-attribute", "emails." + path);
		}
		Attribute attribute = attribute(new ScimPath(null, "emails", path.attribute()));
		return (filter instanceof ScimFilter.Compare compare)
				? compare(path, attribute, compare.operator(), compare.value()) : present(attribute);
	}

	private static AccountCondition present(Attribute attribute) {
		return switch (attribute) {
			case ID, USER_NAME, ACTIVE, CREATED, LAST_MODIFIED -> AccountCondition.ALL;
			case EMAIL_TYPE, EMAIL_PRIMARY -> new AccountCondition.Present(AccountField.EMAIL);
			case FORMATTED -> new AccountCondition.Any(List.of(new AccountCondition.Present(AccountField.GIVEN_NAME),
					new AccountCondition.Present(AccountField.FAMILY_NAME)));
			case ORGANIZATION, DEPARTMENT -> throw ScimException.invalidFilter("not-filterable", attribute.name());
			default -> new AccountCondition.Present(attribute.field);
		};
	}

	private static AccountCondition compare(ScimPath path, Attribute attribute, String operator, JsonNode value) {
		if (attribute == Attribute.EMAIL_TYPE || attribute == Attribute.EMAIL_PRIMARY) {
			// every stored address is the primary "work" one: the comparison holds for all or none
			ObjectNode email = NODES.objectNode().put("type", EMAIL_TYPE).put("primary", true);
			String sub = (attribute == Attribute.EMAIL_TYPE) ? "type" : "primary";
			boolean holds = ScimFilter.matches(new ScimFilter.Compare(new ScimPath(null, sub, null), operator, value),
					email);
			return holds ? new AccountCondition.Present(AccountField.EMAIL) : new AccountCondition.Constant(false);
		}
		AccountField field = attribute.field;
		if (field == null) {
			throw ScimException.invalidFilter("not-filterable", path.toString());
		}
		if (value.isNull()) {
			return switch (operator) {
				case "eq" -> new AccountCondition.Not(present(attribute));
				case "ne" -> present(attribute);
				default -> throw ScimException.invalidFilter("operator-not-for-null", operator);
			};
		}
		AccountCondition.Operator op = AccountCondition.Operator.valueOf(operator.toUpperCase(Locale.ROOT));
		if (field.isBoolean()) {
			if (!value.isBoolean() || (op != AccountCondition.Operator.EQ && op != AccountCondition.Operator.NE)) {
				throw ScimException.invalidFilter("boolean-attribute", path.toString(), operator);
			}
			return new AccountCondition.Compare(field, op, value.booleanValue());
		}
		if (value.isBoolean()) {
			throw ScimException.invalidFilter("not-boolean-attribute", path.toString());
		}
		if (field.isTime()) {
			if (!value.isString() || op == AccountCondition.Operator.CO || op == AccountCondition.Operator.SW
					|| op == AccountCondition.Operator.EW) {
				throw ScimException.invalidFilter("time-attribute", path.toString(), operator);
			}
			try {
				return new AccountCondition.Compare(field, op, OffsetDateTime.parse(value.stringValue()).toInstant());
			}
			catch (DateTimeParseException ex) {
				throw ScimException.invalidFilter("bad-time", value.stringValue());
			}
		}
		return new AccountCondition.Compare(field, op, value.asString());
	}

	/** The account field behind a {@code sortBy}. */
	static AccountField sortField(String sortBy) {
		ScimPath path = ScimPath.parse(sortBy, 0);
		Attribute attribute = attribute(path);
		if (attribute.field == null || attribute == Attribute.ACTIVE || attribute == Attribute.MANAGER) {
			throw ScimException.invalidValue("not-sortable", sortBy);
		}
		return attribute.field;
	}

	/**
	 * An account as a SCIM User.
	 * @param base the realm's SCIM base URL, for the {@code $ref}s of the manager and groups
	 * @param groups the groups the account is in (RFC 7643 §4.1.2, read-only)
	 */
	static ObjectNode user(AccountRecord account, StaffSummary staff, List<DirectoryGroups.Membership> groups,
			String base) {
		String location = base + "/Users/" + account.id();
		ObjectNode user = NODES.objectNode();
		ArrayNode schemas = user.putArray("schemas").add(USER);
		user.put("id", account.id().toString());
		if (account.externalId() != null) {
			user.put("externalId", account.externalId());
		}
		user.put("userName", account.username());
		ObjectNode name = NODES.objectNode();
		putIfPresent(name, "familyName", account.familyName());
		putIfPresent(name, "givenName", account.givenName());
		String formatted = formatted(account.familyName(), account.givenName());
		putIfPresent(name, "formatted", formatted);
		if (!name.isEmpty()) {
			user.set("name", name);
		}
		putIfPresent(user, "displayName", account.displayName());
		if (account.email() != null) {
			user.putArray("emails")
				.addObject()
				.put("value", account.email())
				.put("type", EMAIL_TYPE)
				.put("primary", true);
		}
		user.put("active", account.enabled());
		if (!groups.isEmpty()) {
			ArrayNode memberOf = user.putArray("groups");
			groups.forEach((group) -> memberOf.addObject()
				.put("value", group.group().toString())
				.put("$ref", base + "/Groups/" + group.group())
				.put("display", group.displayName())
				.put("type", "direct"));
		}
		if (staff != null) {
			schemas.add(ENTERPRISE);
			ObjectNode enterprise = user.putObject(ENTERPRISE);
			putIfPresent(enterprise, "employeeNumber", staff.employeeNumber());
			putIfPresent(enterprise, "organization", staff.organization());
			putIfPresent(enterprise, "department", staff.department());
			if (staff.manager() != null) {
				ObjectNode manager = enterprise.putObject("manager")
					.put("value", staff.manager().toString())
					.put("$ref", base + "/Users/" + staff.manager());
				putIfPresent(manager, "displayName", staff.managerDisplayName());
			}
		}
		user.putObject("meta")
			.put("resourceType", "User")
			.put("created", account.created().toString())
			.put("lastModified", account.updated().toString())
			.put("location", location)
			.put("version", AccountVersions.etag(account.version()));
		return user;
	}

	/**
	 * What a User body sets: every attribute Hitotsu keeps, the absent ones empty (PUT
	 * replaces). Read-only attributes ({@code id}, {@code meta}, {@code groups},
	 * {@code organization}, {@code department}, the manager's {@code $ref} and
	 * {@code displayName}) are ignored, as RFC 7644 §3.5.1 asks.
	 */
	static Provisioned provisioned(JsonNode body) {
		if (!body.isObject()) {
			throw ScimException.invalidSyntax("not-an-object");
		}
		List<AccountFieldException.Problem> problems = new ArrayList<>();
		String username = text(problems, body, "userName");
		String externalId = text(problems, body, "externalId");
		String displayName = text(problems, body, "displayName");
		String givenName = null;
		String familyName = null;
		JsonNode name = ScimPath.property(body, "name");
		if (name != null && !name.isNull()) {
			if (!name.isObject()) {
				problems.add(problem("name", "complex"));
			}
			else {
				givenName = text(problems, name, "givenName");
				familyName = text(problems, name, "familyName");
			}
		}
		String email = email(problems, ScimPath.property(body, "emails"));
		boolean active = true;
		JsonNode activeNode = ScimPath.property(body, "active");
		if (activeNode != null && !activeNode.isNull()) {
			if (activeNode.isBoolean()) {
				active = activeNode.booleanValue();
			}
			else {
				problems.add(problem("active", "boolean"));
			}
		}
		String employeeNumber = null;
		String manager = null;
		JsonNode enterprise = ScimPath.property(body, ENTERPRISE);
		if (enterprise != null && !enterprise.isNull()) {
			if (!enterprise.isObject()) {
				problems.add(problem(ENTERPRISE, "complex"));
			}
			else {
				JsonNode number = ScimPath.property(enterprise, "employeeNumber");
				if (number != null && number.isNumber()) {
					employeeNumber = number.asString();
				}
				else {
					employeeNumber = text(problems, enterprise, "employeeNumber");
				}
				JsonNode managerNode = ScimPath.property(enterprise, "manager");
				if (managerNode != null && !managerNode.isNull()) {
					// RFC 7643 §4.3: a complex attribute whose "value" is the manager's id
					manager = managerNode.isObject() ? text(problems, managerNode, "value") : null;
					if (!managerNode.isObject()) {
						problems.add(problem(ENTERPRISE + ":manager", "complex"));
					}
				}
			}
		}
		if (!problems.isEmpty()) {
			throw new AccountFieldException(problems);
		}
		if (displayName == null) {
			displayName = formatted(familyName, givenName);
		}
		return new Provisioned(
				new AccountFields(username, externalId, email, givenName, familyName, displayName, active),
				employeeNumber, manager);
	}

	/**
	 * What a SCIM body sets.
	 * @param employeeNumber the enterprise extension's employee number, {@code null} if none
	 * @param manager the id the enterprise extension's {@code manager.value} gives, {@code null} if none
	 */
	record Provisioned(AccountFields fields, String employeeNumber, String manager) {
	}

	/** The primary address, or the only one; more than one without a primary is refused. */
	private static String email(List<AccountFieldException.Problem> problems, JsonNode emails) {
		if (emails == null || emails.isNull()) {
			return null;
		}
		if (!emails.isArray()) {
			problems.add(problem("emails", "multi-valued"));
			return null;
		}
		JsonNode chosen = null;
		for (JsonNode email : emails) {
			JsonNode primary = email.isObject() ? ScimPath.property(email, "primary") : null;
			JsonNode value = email.isObject() ? ScimPath.property(email, "value") : null;
			if (value == null || !value.isString()) {
				problems.add(problem("emails", "email-value"));
				return null;
			}
			if (chosen == null || (primary != null && primary.isBoolean() && primary.booleanValue())) {
				chosen = email;
			}
		}
		if (emails.size() > 1 && (ScimPath.property(chosen, "primary") == null
				|| !ScimPath.property(chosen, "primary").booleanValue(false))) {
			problems.add(problem("emails", "one-email"));
			return null;
		}
		return (chosen != null) ? ScimPath.property(chosen, "value").stringValue() : null;
	}

	private static String text(List<AccountFieldException.Problem> problems, JsonNode object, String attribute) {
		JsonNode value = ScimPath.property(object, attribute);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			problems.add(problem(attribute, "string"));
			return null;
		}
		return value.stringValue();
	}

	private static AccountFieldException.Problem problem(String field, String code) {
		return new AccountFieldException.Problem(field, code, List.of());
	}

	private static void putIfPresent(ObjectNode node, String name, String value) {
		if (value != null) {
			node.put(name, value);
		}
	}

	private static String formatted(String familyName, String givenName) {
		if (familyName == null) {
			return givenName;
		}
		return (givenName == null) ? familyName : familyName + " " + givenName;
	}

}
