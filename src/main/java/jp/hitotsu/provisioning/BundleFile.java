package jp.hitotsu.provisioning;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.nimbusds.jose.JOSEObjectType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payload of a directory bundle: JSON lines, one object per line, each with a
 * {@code type}: the header first, then the organisation units (each after its parent),
 * then the accounts. docs/directory-bundles.md describes every field.
 */
final class BundleFile {

	static final String FORMAT = "hitotsu-directory-bundle";

	static final int VERSION = 1;

	/** The JWS {@code typ} of a bundle. */
	static final JOSEObjectType TYPE = new JOSEObjectType("hitotsu-directory-bundle+jsonl");

	static final String FULL = "full";

	static final String INCREMENTAL = "incremental";

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private BundleFile() {
	}

	/**
	 * @param sequence this bundle's number from the signing key, one more than the last
	 * @param kind {@code full} (accounts from this key not listed are disabled) or
	 * {@code incremental}
	 * @param units how many unit lines follow
	 * @param accounts how many account lines follow them
	 */
	record Header(String type, String format, int version, long sequence, String exportedAt, String sourceRealm,
			String sourceZone, String kind, Filter filter, int units, int accounts) {
	}

	/** What the exporting administrator selected, for the record. */
	record Filter(String role, String client, String unit, List<String> roles) {
	}

	record Unit(String type, String code, String kind, String nameJa, String nameEn, String parent, String validFrom,
			String validTo) {
	}

	/**
	 * @param id the account's opaque id in the source realm: the same person in every bundle
	 */
	record Account(String type, String id, String username, String name, String givenName, String familyName,
			String email, boolean emailVerified, Staff staff, List<String> roles, List<Post> posts) {
	}

	record Staff(String employeeNumber, String familyName, String givenName, String familyNameKana,
			String givenNameKana, String romanisedName, String jobGrade) {
	}

	record Post(String unit, String kind, String post) {
	}

	/** A whole payload; line {@code n} of the file is unit or account {@code n - 2 ...}. */
	record Contents(Header header, List<Unit> units, List<Account> accounts) {

		int lineOfUnit(int index) {
			return index + 2;
		}

		int lineOfAccount(int index) {
			return this.units.size() + index + 2;
		}

		Instant exportedAt() {
			return Instant.parse(this.header.exportedAt());
		}

		boolean full() {
			return FULL.equals(this.header.kind());
		}

	}

	static String write(Contents contents) {
		StringBuilder payload = new StringBuilder();
		payload.append(JSON.writeValueAsString(contents.header())).append('\n');
		contents.units().forEach((unit) -> payload.append(JSON.writeValueAsString(unit)).append('\n'));
		contents.accounts().forEach((account) -> payload.append(JSON.writeValueAsString(account)).append('\n'));
		return payload.toString();
	}

	/** Reads a payload, or says what is wrong on every line that is. */
	static Contents read(String payload, String realm) {
		List<BundleProblem> problems = new ArrayList<>();
		String[] lines = payload.split("\n", -1);
		int count = (lines.length > 0 && lines[lines.length - 1].isEmpty()) ? lines.length - 1 : lines.length;
		Header header = (count > 0) ? line(lines[0], 1, "header", Header.class, problems) : null;
		if (header == null) {
			problems.add(BundleProblem.at(1, "type", "header"));
			throw new BundleRefusedException(BundleRefusedException.Reason.INVALID_CONTENT, realm, problems);
		}
		checkHeader(header, problems);
		List<Unit> units = new ArrayList<>();
		List<Account> accounts = new ArrayList<>();
		for (int index = 1; index < count; index++) {
			boolean unitLine = index <= header.units();
			Object read = unitLine ? line(lines[index], index + 1, "unit", Unit.class, problems)
					: line(lines[index], index + 1, "account", Account.class, problems);
			if (read instanceof Unit unit) {
				units.add(unit);
			}
			else if (read instanceof Account account) {
				check(account, index + 1, problems);
				accounts.add(account);
			}
		}
		if (count - 1 != header.units() + header.accounts()) {
			problems.add(BundleProblem.at(1, "accounts", "count", header.units() + header.accounts(), count - 1));
		}
		checkUnique(accounts, header.units(), problems);
		if (!problems.isEmpty()) {
			throw new BundleRefusedException(BundleRefusedException.Reason.INVALID_CONTENT, realm, problems);
		}
		return new Contents(header, units, accounts);
	}

	private static void checkHeader(Header header, List<BundleProblem> problems) {
		if (!FORMAT.equals(header.format()) || header.version() != VERSION) {
			problems.add(BundleProblem.at(1, "format", "format", FORMAT, VERSION));
		}
		if (header.sequence() < 1) {
			problems.add(BundleProblem.at(1, "sequence", "sequence"));
		}
		try {
			Instant.parse(String.valueOf(header.exportedAt()));
		}
		catch (DateTimeParseException ex) {
			problems.add(BundleProblem.at(1, "exportedAt", "time", header.exportedAt()));
		}
		if (!FULL.equals(header.kind()) && !INCREMENTAL.equals(header.kind())) {
			problems.add(BundleProblem.at(1, "kind", "kind", header.kind()));
		}
		if (header.units() < 0 || header.accounts() < 0) {
			problems.add(BundleProblem.at(1, "accounts", "count", 0, -1));
		}
	}

	private static void check(Account account, int line, List<BundleProblem> problems) {
		if (account.id() == null || account.id().isBlank() || account.id().length() > 255) {
			problems.add(BundleProblem.at(line, "id", "required"));
		}
		if (account.username() == null || account.username().isBlank() || account.username().length() > 255) {
			problems.add(BundleProblem.at(line, "username", "required"));
		}
	}

	private static void checkUnique(List<Account> accounts, int units, List<BundleProblem> problems) {
		Set<String> ids = new HashSet<>();
		Set<String> usernames = new HashSet<>();
		for (int index = 0; index < accounts.size(); index++) {
			Account account = accounts.get(index);
			if (account.id() != null && !ids.add(account.id())) {
				problems.add(BundleProblem.at(units + index + 2, "id", "duplicate", account.id()));
			}
			if (account.username() != null
					&& !usernames.add(jp.hitotsu.account.AccountService.normalizeUsername(account.username()))) {
				problems.add(BundleProblem.at(units + index + 2, "username", "duplicate", account.username()));
			}
		}
	}

	private static <T> T line(String text, int number, String type, Class<T> shape, List<BundleProblem> problems) {
		// PostgreSQL text cannot hold U+0000: refused here rather than failing the transaction
		if (text.contains("\\u0000")) {
			problems.add(BundleProblem.at(number, null, "nul"));
			return null;
		}
		try {
			JsonNode node = JSON.readTree(text);
			if (node == null || !node.isObject() || !type.equals(node.path("type").asString(""))) {
				problems.add(BundleProblem.at(number, "type", "type", type));
				return null;
			}
			return JSON.treeToValue(node, shape);
		}
		catch (UnrecognizedPropertyException ex) {
			problems.add(BundleProblem.at(number, ex.getPropertyName(), "unknown-field", ex.getPropertyName()));
		}
		catch (JacksonException ex) {
			problems.add(BundleProblem.at(number, null, "json", ex.getOriginalMessage()));
		}
		return null;
	}

}
