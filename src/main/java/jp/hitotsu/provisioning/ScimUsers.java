package jp.hitotsu.provisioning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jp.hitotsu.account.AccountCondition;
import jp.hitotsu.account.AccountField;
import jp.hitotsu.account.AccountProvisioning;
import jp.hitotsu.account.AccountRecord;
import jp.hitotsu.account.AccountSearch;
import jp.hitotsu.directory.DirectoryGroups;
import jp.hitotsu.directory.DirectoryService;
import jp.hitotsu.directory.DirectoryService.StaffSummary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The SCIM Users of a realm: accounts ({@link AccountSearch}, {@link AccountProvisioning})
 * with the directory's staff data ({@link DirectoryService}) as the enterprise extension.
 * Each write, its directory part and its audit events commit together.
 */
@Service
class ScimUsers {

	/** Most resources in one page, as advertised in ServiceProviderConfig. */
	static final int MAX_RESULTS = 1000;

	static final int DEFAULT_COUNT = 100;

	private final AccountSearch search;

	private final AccountProvisioning provisioning;

	private final DirectoryService directory;

	private final DirectoryGroups groups;

	ScimUsers(AccountSearch search, AccountProvisioning provisioning, DirectoryService directory,
			DirectoryGroups groups) {
		this.search = search;
		this.provisioning = provisioning;
		this.directory = directory;
		this.groups = groups;
	}

	/** One page of a query; {@code startIndex} is 1-based as in SCIM. */
	record Page(long total, int startIndex, List<ObjectNode> resources) {
	}

	/**
	 * @param base the realm's SCIM base URL, for {@code meta.location}
	 */
	Page list(String realm, String filter, String sortBy, String sortOrder, Integer startIndex, Integer count,
			String base) {
		AccountCondition condition = (filter != null && !filter.isBlank())
				? ScimUserSchema.condition(ScimFilter.parse(filter)) : AccountCondition.ALL;
		AccountField sort = (sortBy != null && !sortBy.isBlank()) ? ScimUserSchema.sortField(sortBy) : null;
		int start = startIndex(startIndex);
		AccountSearch.Page page = this.search.search(realm, condition, sort, descending(sortOrder), start - 1,
				count(count));
		return new Page(page.total(), start, users(realm, page.accounts(), base));
	}

	/** A {@code sortOrder}: ascending unless it says "descending"; anything else is refused. */
	static boolean descending(String sortOrder) {
		boolean descending = sortOrder != null && sortOrder.equalsIgnoreCase("descending");
		if (sortOrder != null && !descending && !sortOrder.equalsIgnoreCase("ascending")) {
			throw ScimException.invalidValue("sort-order", sortOrder);
		}
		return descending;
	}

	/** RFC 7644 §3.4.2.4: a {@code startIndex} below 1 means 1. */
	static int startIndex(Integer startIndex) {
		return (startIndex == null || startIndex < 1) ? 1 : startIndex;
	}

	/** RFC 7644 §3.4.2.4: a negative {@code count} means 0; at most {@link #MAX_RESULTS}. */
	static int count(Integer count) {
		return (count == null) ? DEFAULT_COUNT : Math.max(0, Math.min(count, MAX_RESULTS));
	}

	ObjectNode get(String realm, String id, String base) {
		return user(realm, find(realm, id), base);
	}

	/** The account's current version, the ETag a conditional GET compares with. */
	long version(String realm, String id) {
		return find(realm, id).version();
	}

	@Transactional
	ObjectNode create(String realm, JsonNode body, AccountProvisioning.Change change, String base) {
		ScimUserSchema.Provisioned provisioned = ScimUserSchema.provisioned(body);
		AccountRecord account = this.provisioning.create(realm, provisioned.fields(), change);
		return afterWrite(realm, account, provisioned, base);
	}

	@Transactional
	ObjectNode replace(String realm, String id, JsonNode body, Long expectedVersion,
			AccountProvisioning.Change change, String base) {
		ScimUserSchema.Provisioned provisioned = ScimUserSchema.provisioned(body);
		return write(realm, id, provisioned, expectedVersion, change, base);
	}

	@Transactional
	ObjectNode patch(String realm, String id, JsonNode request, Long expectedVersion,
			AccountProvisioning.Change change, String base) {
		ObjectNode current = user(realm, find(realm, id), base);
		ObjectNode patched = ScimPatch.apply(current, request);
		ScimUserSchema.Provisioned provisioned = ScimUserSchema.provisioned(patched);
		String before = employeeNumber(current);
		if (before != null && provisioned.employeeNumber() == null) {
			throw new ScimException(org.springframework.http.HttpStatus.BAD_REQUEST, "mutability",
					"employee-number-remove", realm);
		}
		return write(realm, id, provisioned, expectedVersion, change, base);
	}

	@Transactional
	void delete(String realm, String id, Long expectedVersion, AccountProvisioning.Change change) {
		if (!this.provisioning.delete(realm, uuid(realm, id), expectedVersion, change)) {
			throw ScimException.notFound(realm, id);
		}
	}

	private ObjectNode write(String realm, String id, ScimUserSchema.Provisioned provisioned, Long expectedVersion,
			AccountProvisioning.Change change, String base) {
		AccountRecord account = this.provisioning
			.replace(realm, uuid(realm, id), provisioned.fields(), expectedVersion, change)
			.orElseThrow(() -> ScimException.notFound(realm, id));
		return afterWrite(realm, account, provisioned, base);
	}

	private ObjectNode afterWrite(String realm, AccountRecord account, ScimUserSchema.Provisioned provisioned,
			String base) {
		if (provisioned.employeeNumber() == null) {
			if (provisioned.manager() != null) {
				// the manager is part of the directory's staff record, which the employee number keys
				throw ScimException.invalidValue("manager-without-employee-number", realm);
			}
			return user(realm, account, base);
		}
		this.directory.provisionStaff(realm, account.id(), provisioned.employeeNumber(), account.familyName(),
				account.givenName(), provisioned.manager());
		// read again: the account as written did not have the staff data yet
		return user(realm, find(realm, account.id().toString()), base);
	}

	private AccountRecord find(String realm, String id) {
		return this.search.find(realm, uuid(realm, id)).orElseThrow(() -> ScimException.notFound(realm, id));
	}

	private ObjectNode user(String realm, AccountRecord account, String base) {
		return users(realm, List.of(account), base).get(0);
	}

	private List<ObjectNode> users(String realm, List<AccountRecord> accounts, String base) {
		Set<UUID> staff = accounts.stream()
			.filter((account) -> account.employeeNumber() != null)
			.map(AccountRecord::id)
			.collect(java.util.stream.Collectors.toSet());
		Map<UUID, StaffSummary> summaries = this.directory.staffSummaries(realm, staff);
		Map<UUID, List<DirectoryGroups.Membership>> memberships = this.groups.groupsOf(realm,
				accounts.stream().map(AccountRecord::id).toList());
		return accounts.stream()
			.map((account) -> ScimUserSchema.user(account, summaries.get(account.id()),
					memberships.getOrDefault(account.id(), List.of()), base))
			.toList();
	}

	private static String employeeNumber(ObjectNode user) {
		return Optional.ofNullable(ScimPath.property(user, ScimUserSchema.ENTERPRISE))
			.map((extension) -> ScimPath.property(extension, "employeeNumber"))
			.filter(JsonNode::isString)
			.map(JsonNode::stringValue)
			.orElse(null);
	}

	private static UUID uuid(String realm, String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw ScimException.notFound(realm, id);
		}
	}

}
