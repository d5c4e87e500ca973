package jp.hitotsu.provisioning;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jp.hitotsu.account.AccountProvisioning;
import jp.hitotsu.account.AccountVersions;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.directory.DirectoryGroups;
import jp.hitotsu.directory.GroupCondition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The SCIM Groups of a realm (RFC 7643 §4.2): the directory's groups ({@link DirectoryGroups})
 * whose members are Users of the same realm. A PATCH of members adds and removes rows one
 * member at a time: a group of 20,000 is never read whole to add one. Each write and its
 * audit event commit together.
 */
@Service
class ScimGroups {

	static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

	/** Most member ids an audit event names; beyond, it gives the counts only. */
	private static final int AUDITED_MEMBERS = 100;

	private final DirectoryGroups groups;

	private final AuditTrail audit;

	ScimGroups(DirectoryGroups groups, AuditTrail audit) {
		this.groups = groups;
		this.audit = audit;
	}

	/**
	 * @param withMembers read the members (only when the representation shows them)
	 */
	ScimUsers.Page list(String realm, String filter, String sortBy, String sortOrder, Integer startIndex,
			Integer count, String base, boolean withMembers) {
		GroupCondition condition = (filter != null && !filter.isBlank()) ? condition(ScimFilter.parse(filter))
				: GroupCondition.ALL;
		GroupCondition.Field sort = (sortBy != null && !sortBy.isBlank()) ? sortField(sortBy) : null;
		boolean descending = ScimUsers.descending(sortOrder);
		int start = ScimUsers.startIndex(startIndex);
		DirectoryGroups.SearchPage page = this.groups.search(realm, condition, sort, descending, start - 1,
				ScimUsers.count(count));
		return new ScimUsers.Page(page.total(), start,
				page.groups().stream().map((group) -> group(group, withMembers, base)).toList());
	}

	ObjectNode get(String realm, String id, String base, boolean withMembers) {
		DirectoryGroups.Group group = this.groups.find(realm, uuid(realm, id))
			.orElseThrow(() -> notFound(realm, id));
		return group(group, withMembers, base);
	}

	@Transactional
	ObjectNode create(String realm, JsonNode body, AccountProvisioning.Change change, String base) {
		Body parsed = body(realm, body);
		DirectoryGroups.Group group = this.groups.create(realm, parsed.displayName(), parsed.externalId());
		List<UUID> added = this.groups.addMembers(group.id(), parsed.members());
		record(realm, AuditEventType.GROUP_CREATED, group, change, added, List.of());
		return group(group, true, base);
	}

	@Transactional
	ObjectNode replace(String realm, String id, JsonNode body, Long expectedVersion,
			AccountProvisioning.Change change, String base) {
		DirectoryGroups.Group current = locked(realm, id, expectedVersion);
		Body parsed = body(realm, body);
		List<UUID> removed = this.groups.removeMembersNotIn(current.id(), parsed.members());
		List<UUID> added = this.groups.addMembers(current.id(), parsed.members());
		DirectoryGroups.Group group = this.groups.update(realm, current.id(), parsed.displayName(),
				parsed.externalId());
		record(realm, AuditEventType.GROUP_UPDATED, group, change, added, removed);
		return group(group, true, base);
	}

	/** Applies a PATCH; answers the group as it is now, without its members. */
	@Transactional
	DirectoryGroups.Group patch(String realm, String id, JsonNode request, Long expectedVersion,
			AccountProvisioning.Change change) {
		DirectoryGroups.Group current = locked(realm, id, expectedVersion);
		Patched patched = new Patched(realm, current.id(), current.displayName(), current.externalId());
		ScimPatch.operations(request, (kind, path, value) -> patched.apply(kind, ScimPatch.target(path), value));
		DirectoryGroups.Group group = this.groups.update(realm, current.id(), patched.displayName,
				patched.externalId);
		record(realm, AuditEventType.GROUP_UPDATED, group, change, List.copyOf(patched.added),
				List.copyOf(patched.removed));
		return group;
	}

	@Transactional
	void delete(String realm, String id, Long expectedVersion, AccountProvisioning.Change change) {
		DirectoryGroups.Group group = locked(realm, id, expectedVersion);
		this.groups.delete(realm, group.id());
		record(realm, AuditEventType.GROUP_DELETED, group, change, List.of(), List.of());
	}

	/** A PATCH under way: names as they become, members added and removed so far. */
	private final class Patched {

		private final String realm;

		private final UUID group;

		private String displayName;

		private String externalId;

		private final Set<UUID> added = new LinkedHashSet<>();

		private final Set<UUID> removed = new LinkedHashSet<>();

		Patched(String realm, UUID group, String displayName, String externalId) {
			this.realm = realm;
			this.group = group;
			this.displayName = displayName;
			this.externalId = externalId;
		}

		void apply(String kind, ScimPatch.Target target, JsonNode value) {
			ScimPath attribute = target.attribute();
			if (target.wholeExtension() || (attribute.schema() != null && !attribute.schema().equalsIgnoreCase(GROUP))) {
				throw ScimException.invalidPath("bad-path", String.valueOf(attribute));
			}
			String name = attribute.attribute().toLowerCase(Locale.ROOT);
			if (name.equals("members")) {
				members(kind, target, value);
				return;
			}
			if (target.filter() != null || target.subAttribute() != null) {
				throw ScimException.invalidPath("bad-path", attribute.toString());
			}
			switch (name) {
				case "displayname" -> {
					if ("remove".equals(kind)) {
						throw new ScimException(HttpStatus.BAD_REQUEST, "mutability", "group-name-required");
					}
					this.displayName = text(value, "displayName");
				}
				case "externalid" -> this.externalId = "remove".equals(kind) ? null : text(value, "externalId");
				case "id", "meta", "schemas" ->
					throw new ScimException(HttpStatus.BAD_REQUEST, "mutability", "read-only", attribute.toString());
				default -> throw ScimException.invalidPath("bad-path", attribute.toString());
			}
		}

		private void members(String kind, ScimPatch.Target target, JsonNode value) {
			if (target.subAttribute() != null) {
				// a member is its id: nothing of it can change but whether it is there
				throw new ScimException(HttpStatus.BAD_REQUEST, "mutability", "read-only",
						"members." + target.subAttribute());
			}
			if (target.filter() != null) {
				if (!"remove".equals(kind)) {
					throw ScimException.invalidPath("members-filter-remove-only", target.attribute().toString());
				}
				removed(ScimGroups.this.groups.removeMembers(this.group, matching(target.filter())));
				return;
			}
			if ("remove".equals(kind)) {
				// RFC 7644 §3.5.2.2: without a filter all members go; with a value (as some
				// clients send), the members it names
				List<UUID> named = (value != null && !value.isNull()) ? ids(value, this.realm) : null;
				removed((named != null) ? ScimGroups.this.groups.removeMembers(this.group, named)
						: ScimGroups.this.groups.removeMembersNotIn(this.group, List.of()));
				return;
			}
			List<UUID> ids = existing(this.realm, ids(value, this.realm));
			if ("replace".equals(kind)) {
				removed(ScimGroups.this.groups.removeMembersNotIn(this.group, ids));
			}
			List<UUID> now = ScimGroups.this.groups.addMembers(this.group, ids);
			now.forEach((id) -> {
				if (!this.removed.remove(id)) {
					this.added.add(id);
				}
			});
		}

		private void removed(List<UUID> ids) {
			ids.forEach((id) -> {
				if (!this.added.remove(id)) {
					this.removed.add(id);
				}
			});
		}

		/**
		 * The members a value filter names: {@code value eq "id"} (alone or or-ed, the usual
		 * case) without reading the group; any other filter is evaluated on its members.
		 */
		private List<UUID> matching(ScimFilter filter) {
			Optional<List<UUID>> named = valuesNamed(filter);
			if (named.isPresent()) {
				return named.get();
			}
			List<UUID> matched = new ArrayList<>();
			for (DirectoryGroups.Member member : ScimGroups.this.groups.members(this.group)) {
				if (ScimFilter.matches(filter, member(member, ""))) {
					matched.add(member.id());
				}
			}
			return matched;
		}

	}

	/** The ids a filter of {@code value eq "id"} terms joined by {@code or} names, if it is one. */
	private static Optional<List<UUID>> valuesNamed(ScimFilter filter) {
		if (filter instanceof ScimFilter.Or or) {
			Optional<List<UUID>> left = valuesNamed(or.left());
			Optional<List<UUID>> right = valuesNamed(or.right());
			if (left.isEmpty() || right.isEmpty()) {
				return Optional.empty();
			}
			List<UUID> both = new ArrayList<>(left.get());
			both.addAll(right.get());
			return Optional.of(both);
		}
		if (filter instanceof ScimFilter.Compare compare && compare.operator().equals("eq")
				&& compare.path().schema() == null && compare.path().subAttribute() == null
				&& compare.path().attribute().equalsIgnoreCase("value") && compare.value().isString()) {
			return Optional.of(parseUuid(compare.value().stringValue()).map(List::of).orElse(List.of()));
		}
		return Optional.empty();
	}

	/** The member ids of a {@code members} value: an array of {@code {"value": id}}, or one such object. */
	private static List<UUID> ids(JsonNode value, String realm) {
		List<JsonNode> members = new ArrayList<>();
		if (value.isArray()) {
			value.forEach(members::add);
		}
		else {
			members.add(value);
		}
		List<UUID> ids = new ArrayList<>();
		for (JsonNode member : members) {
			JsonNode id = member.isObject() ? ScimPath.property(member, "value") : null;
			if (id == null || !id.isString()) {
				throw ScimException.invalidValue("member-value");
			}
			ids.add(parseUuid(id.stringValue())
				.orElseThrow(() -> ScimException.invalidValue("unknown-member", id.stringValue(), realm)));
		}
		return ids;
	}

	/** The ids, all accounts of the realm, or a refusal naming those that are not. */
	private List<UUID> existing(String realm, List<UUID> ids) {
		List<UUID> unknown = this.groups.notAccounts(realm, ids);
		if (!unknown.isEmpty()) {
			throw ScimException.invalidValue("unknown-member", unknown.get(0).toString(), realm);
		}
		return ids;
	}

	/** What a POST or PUT body sets. */
	private record Body(String displayName, String externalId, List<UUID> members) {
	}

	private Body body(String realm, JsonNode body) {
		if (!body.isObject()) {
			throw ScimException.invalidSyntax("not-an-object");
		}
		String displayName = text(ScimPath.property(body, "displayName"), "displayName");
		if (displayName == null) {
			throw ScimException.invalidValue("group-name-required");
		}
		JsonNode externalId = ScimPath.property(body, "externalId");
		JsonNode members = ScimPath.property(body, "members");
		return new Body(displayName, (externalId == null || externalId.isNull()) ? null : text(externalId, "externalId"),
				(members == null || members.isNull()) ? List.of() : existing(realm, ids(members, realm)));
	}

	private static String text(JsonNode value, String attribute) {
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw ScimException.invalidValue("group-attribute-string", attribute);
		}
		return value.stringValue();
	}

	private DirectoryGroups.Group locked(String realm, String id, Long expectedVersion) {
		DirectoryGroups.Group group = this.groups.lock(realm, uuid(realm, id)).orElseThrow(() -> notFound(realm, id));
		if (expectedVersion != null && expectedVersion != group.version()) {
			throw new ScimException(HttpStatus.PRECONDITION_FAILED, null, "version-mismatch",
					AccountVersions.etag(group.version()));
		}
		return group;
	}

	private void record(String realm, AuditEventType type, DirectoryGroups.Group group,
			AccountProvisioning.Change change, List<UUID> added, List<UUID> removed) {
		AuditEvent.Builder event = AuditEvent.of(realm, type)
			.client(change.client())
			.ipAddress(change.ipAddress())
			.detail("actor", change.actor())
			.detail("via", change.via())
			.detail("group", group.id().toString())
			.detail("displayName", group.displayName());
		if (!added.isEmpty()) {
			event.detail("membersAdded", added.size()).detail("added", named(added));
		}
		if (!removed.isEmpty()) {
			event.detail("membersRemoved", removed.size()).detail("removed", named(removed));
		}
		this.audit.record(event.build());
	}

	private static List<String> named(List<UUID> ids) {
		return ids.stream().limit(AUDITED_MEMBERS).map(UUID::toString).toList();
	}

	/** A group as a SCIM Group; its members only when asked for. */
	private ObjectNode group(DirectoryGroups.Group group, boolean withMembers, String base) {
		ObjectNode node = ScimUserSchema.NODES.objectNode();
		node.putArray("schemas").add(GROUP);
		node.put("id", group.id().toString());
		if (group.externalId() != null) {
			node.put("externalId", group.externalId());
		}
		node.put("displayName", group.displayName());
		if (withMembers) {
			List<DirectoryGroups.Member> members = this.groups.members(group.id());
			if (!members.isEmpty()) {
				ArrayNode array = node.putArray("members");
				members.forEach((member) -> array.add(member(member, base)));
			}
		}
		node.putObject("meta")
			.put("resourceType", "Group")
			.put("created", group.created().toString())
			.put("lastModified", group.updated().toString())
			.put("location", base + "/Groups/" + group.id())
			.put("version", AccountVersions.etag(group.version()));
		return node;
	}

	private static ObjectNode member(DirectoryGroups.Member member, String base) {
		ObjectNode node = ScimUserSchema.NODES.objectNode()
			.put("value", member.id().toString())
			.put("$ref", base + "/Users/" + member.id())
			.put("type", "User");
		if (member.displayName() != null) {
			node.put("display", member.displayName());
		}
		return node;
	}

	/** A filter as a condition on groups; refuses what cannot be searched. */
	static GroupCondition condition(ScimFilter filter) {
		if (filter instanceof ScimFilter.And and) {
			return new GroupCondition.All(List.of(condition(and.left()), condition(and.right())));
		}
		if (filter instanceof ScimFilter.Or or) {
			return new GroupCondition.Any(List.of(condition(or.left()), condition(or.right())));
		}
		if (filter instanceof ScimFilter.Not not) {
			return new GroupCondition.Not(condition(not.filter()));
		}
		if (filter instanceof ScimFilter.ValuePath valuePath) {
			if (field(valuePath.path()) != GroupCondition.Field.MEMBER || valuePath.path().subAttribute() != null) {
				throw ScimException.invalidFilter("not-multi-valued", valuePath.path().toString());
			}
			return memberCondition(valuePath.filter());
		}
		if (filter instanceof ScimFilter.Present present) {
			return new GroupCondition.Present(field(present.path()));
		}
		ScimFilter.Compare compare = (ScimFilter.Compare) filter;
		return compare(compare.path(), field(compare.path()), compare.operator(), compare.value());
	}

	/** The filter inside {@code members[...]}: only the member's {@code value} is kept. */
	private static GroupCondition memberCondition(ScimFilter filter) {
		if (filter instanceof ScimFilter.And and) {
			return new GroupCondition.All(List.of(memberCondition(and.left()), memberCondition(and.right())));
		}
		if (filter instanceof ScimFilter.Or or) {
			return new GroupCondition.Any(List.of(memberCondition(or.left()), memberCondition(or.right())));
		}
		if (filter instanceof ScimFilter.Not not) {
			return new GroupCondition.Not(memberCondition(not.filter()));
		}
		if (filter instanceof ScimFilter.ValuePath valuePath) {
			throw ScimException.invalidFilter("nested-value-path", valuePath.path().toString());
		}
		if (filter instanceof ScimFilter.Present present) {
			memberValue(present.path());
			return new GroupCondition.Present(GroupCondition.Field.MEMBER);
		}
		ScimFilter.Compare compare = (ScimFilter.Compare) filter;
		memberValue(compare.path());
		return compare(compare.path(), GroupCondition.Field.MEMBER, compare.operator(), compare.value());
	}

	private static void memberValue(ScimPath path) {
		if (path.schema() != null || path.subAttribute() != null || !path.attribute().equalsIgnoreCase("value")) {
			throw ScimException.invalidFilter("unknown-attribute", "members." + path);
		}
	}

	private static GroupCondition.Field field(ScimPath path) {
		GroupCondition.Field found = null;
		if (path.schema() == null || path.schema().equalsIgnoreCase(GROUP)) {
			String sub = (path.subAttribute() != null) ? "." + path.subAttribute() : "";
			found = switch (path.attribute().toLowerCase(Locale.ROOT) + sub.toLowerCase(Locale.ROOT)) {
				case "id" -> GroupCondition.Field.ID;
				case "displayname" -> GroupCondition.Field.DISPLAY_NAME;
				case "externalid" -> GroupCondition.Field.EXTERNAL_ID;
				case "members", "members.value" -> GroupCondition.Field.MEMBER;
				case "meta.created" -> GroupCondition.Field.CREATED;
				case "meta.lastmodified" -> GroupCondition.Field.UPDATED;
				default -> null;
			};
		}
		if (found == null) {
			throw ScimException.invalidFilter("unknown-attribute", path.toString());
		}
		return found;
	}

	private static GroupCondition compare(ScimPath path, GroupCondition.Field field, String operator,
			JsonNode value) {
		GroupCondition.Operator op = GroupCondition.Operator.valueOf(operator.toUpperCase(Locale.ROOT));
		if (value.isNull()) {
			return switch (op) {
				case EQ -> new GroupCondition.Not(new GroupCondition.Present(field));
				case NE -> new GroupCondition.Present(field);
				default -> throw ScimException.invalidFilter("operator-not-for-null", operator);
			};
		}
		if (!value.isString()) {
			throw ScimException.invalidFilter("not-boolean-attribute", path.toString());
		}
		String text = value.stringValue();
		if (field == GroupCondition.Field.ID || field == GroupCondition.Field.MEMBER) {
			if (op != GroupCondition.Operator.EQ && op != GroupCondition.Operator.NE) {
				throw ScimException.invalidFilter("id-attribute", path.toString(), operator);
			}
			// an id this server never gave matches nothing
			return parseUuid(text).<GroupCondition>map((id) -> new GroupCondition.Compare(field, op, id))
				.orElse(new GroupCondition.Constant(op == GroupCondition.Operator.NE));
		}
		if (field.isTime()) {
			if (op == GroupCondition.Operator.CO || op == GroupCondition.Operator.SW
					|| op == GroupCondition.Operator.EW) {
				throw ScimException.invalidFilter("time-attribute", path.toString(), operator);
			}
			try {
				return new GroupCondition.Compare(field, op, OffsetDateTime.parse(text).toInstant());
			}
			catch (DateTimeParseException ex) {
				throw ScimException.invalidFilter("bad-time", text);
			}
		}
		return new GroupCondition.Compare(field, op, text);
	}

	private static GroupCondition.Field sortField(String sortBy) {
		GroupCondition.Field field = field(ScimPath.parse(sortBy, 0));
		if (field == GroupCondition.Field.MEMBER) {
			throw ScimException.invalidValue("not-sortable", sortBy);
		}
		return field;
	}

	private static Optional<UUID> parseUuid(String text) {
		try {
			return Optional.of(UUID.fromString(text));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private static UUID uuid(String realm, String id) {
		return parseUuid(id).orElseThrow(() -> notFound(realm, id));
	}

	static ScimException notFound(String realm, String id) {
		return new ScimException(HttpStatus.NOT_FOUND, null, "unknown-group", realm, id);
	}

}
