package jp.hitotsu.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jp.hitotsu.mail.EmailAddresses;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's data on their account as administrators read and correct it (the admin API):
 * names and their readings, contact details and whether the account may log in. Each
 * change raises the account's version, the same one SCIM shows as its ETag.
 */
@Service
public class PersonRecords {

	private static final String SELECT = """
			select id, username, family_name, given_name, family_name_kana, given_name_kana, romanised_name,
			  email, email_verified, phone_number, enabled, version
			from account where id = :id and realm = :realm
			""";

	private final JdbcClient jdbc;

	private final AccountService accounts;

	private final Clock clock;

	private final AccountCache cache;

	PersonRecords(JdbcClient jdbc, AccountService accounts, Clock clock, AccountCache cache) {
		this.cache = cache;
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.clock = clock;
	}

	/** The fields an administrator may change, by their name in the admin API. */
	public enum Field {

		FAMILY_NAME("familyName"), GIVEN_NAME("givenName"), FAMILY_NAME_KANA("familyNameKana"),
		GIVEN_NAME_KANA("givenNameKana"), ROMANISED_NAME("romanisedName"), EMAIL("email"),
		EMAIL_VERIFIED("emailVerified"), PHONE_NUMBER("phoneNumber"), ENABLED("enabled");

		private final String key;

		Field(String key) {
			this.key = key;
		}

		public String key() {
			return this.key;
		}

		/** Whether its value is true or false (never cleared), not text. */
		public boolean isBoolean() {
			return this == EMAIL_VERIFIED || this == ENABLED;
		}

		public static Optional<Field> fromKey(String key) {
			for (Field field : values()) {
				if (field.key.equals(key)) {
					return Optional.of(field);
				}
			}
			return Optional.empty();
		}

	}

	/** The person as the account keeps it. */
	public record PersonView(UUID id, String username, String familyName, String givenName, String familyNameKana,
			String givenNameKana, String romanisedName, String email, boolean emailVerified, String phoneNumber,
			boolean enabled, long version) {
	}

	/** Input refused, each bad field with the key of its message (the field's name its argument). */
	public static class InvalidPersonException extends RuntimeException {

		private final List<Person.FieldError> errors;

		public InvalidPersonException(List<Person.FieldError> errors) {
			super("Invalid person data: " + errors);
			this.errors = List.copyOf(errors);
		}

		public List<Person.FieldError> errors() {
			return this.errors;
		}

	}

	public Optional<PersonView> find(String realm, String subject) {
		return AccountService.parseId(subject).flatMap((id) -> select(realm, id, false));
	}

	/**
	 * Sets the fields given ({@code null} clears a text field) and leaves the others. A new
	 * address is unverified unless {@code emailVerified} says otherwise; disabling ends
	 * what the account holds ({@link AccountService#disable}). Checked as a whole first:
	 * nothing is written when any field is wrong.
	 * @param expectedVersion the version the caller read, or {@code null} for any
	 * @return the person as written, empty when the realm has no such account
	 * @throws AccountVersionConflictException when the account is at another version
	 */
	@Transactional
	public Optional<PersonView> update(String realm, String subject, Map<Field, Object> changes,
			Long expectedVersion, String reason) {
		Optional<UUID> id = AccountService.parseId(subject);
		Optional<PersonView> locked = id.flatMap((uuid) -> select(realm, uuid, true));
		if (locked.isEmpty()) {
			return locked;
		}
		PersonView current = locked.get();
		if (expectedVersion != null && expectedVersion != current.version()) {
			throw new AccountVersionConflictException(realm, subject, current.version());
		}
		if (changes.isEmpty()) {
			// an empty merge patch changes nothing (RFC 7396), the version included
			return locked;
		}
		Map<Field, Object> values = new EnumMap<>(Field.class);
		values.putAll(changes);
		String email = text(values, Field.EMAIL, current.email());
		boolean emailChanged = values.containsKey(Field.EMAIL) && !Objects.equals(email, current.email());
		boolean verified = values.containsKey(Field.EMAIL_VERIFIED) ? (Boolean) values.get(Field.EMAIL_VERIFIED)
				: current.emailVerified() && !emailChanged;
		boolean enabled = values.containsKey(Field.ENABLED) ? (Boolean) values.get(Field.ENABLED) : current.enabled();
		Person person = new Person(text(values, Field.FAMILY_NAME, current.familyName()),
				text(values, Field.GIVEN_NAME, current.givenName()),
				text(values, Field.FAMILY_NAME_KANA, current.familyNameKana()),
				text(values, Field.GIVEN_NAME_KANA, current.givenNameKana()),
				text(values, Field.ROMANISED_NAME, current.romanisedName()),
				text(values, Field.PHONE_NUMBER, current.phoneNumber()));
		check(person, email, verified, values);
		this.jdbc.sql("""
				update account set family_name = :family, given_name = :given, family_name_kana = :familyKana,
				  given_name_kana = :givenKana, romanised_name = :romanised, phone_number = :phone,
				  display_name = case when :namesChanged then :display else display_name end, email = :email,
				  email_verified = :verified, updated_at = :now, version = version + 1
				where id = :id and realm = :realm
				""")
			.param("family", person.familyName())
			.param("given", person.givenName())
			.param("familyKana", person.familyNameKana())
			.param("givenKana", person.givenNameKana())
			.param("romanised", person.romanisedName())
			.param("phone", person.phoneNumber())
			.param("display", person.displayName())
			// a display name given by a system of record stays unless the names it came from change
			.param("namesChanged", values.containsKey(Field.FAMILY_NAME) || values.containsKey(Field.GIVEN_NAME))
			.param("email", email)
			.param("verified", verified)
			.param("now", Timestamp.from(this.clock.instant()))
			.param("id", current.id())
			.param("realm", realm)
			.update();
		this.cache.changed(current.id());
		if (current.enabled() && !enabled) {
			this.accounts.disable(realm, current.id(), reason);
		}
		else if (!current.enabled() && enabled) {
			this.accounts.enable(realm, current.id(), reason);
		}
		return select(realm, current.id(), false);
	}

	/**
	 * What is wrong with the person as it would be; a field the change does not touch is
	 * not the caller's mistake unless the change makes it one (a name cleared).
	 */
	private static void check(Person person, String email, boolean verified, Map<Field, Object> changes) {
		List<Person.FieldError> errors = new ArrayList<>();
		for (Person.FieldError error : person.check()) {
			if (Field.fromKey(error.field()).filter(changes::containsKey).isPresent()) {
				errors.add(error);
			}
		}
		if (email != null) {
			EmailAddresses.problem(email)
				.ifPresent((problem) -> errors.add(new Person.FieldError(Field.EMAIL.key(), "person.error.email")));
		}
		else if (verified && changes.containsKey(Field.EMAIL_VERIFIED)) {
			errors.add(new Person.FieldError(Field.EMAIL_VERIFIED.key(), "person.error.verified-without-email"));
		}
		if (!errors.isEmpty()) {
			throw new InvalidPersonException(errors);
		}
	}

	private static String text(Map<Field, Object> changes, Field field, String current) {
		if (!changes.containsKey(field)) {
			return current;
		}
		Object value = changes.get(field);
		return (value == null || value.toString().isBlank()) ? null : value.toString().strip();
	}

	/** @param lock whether to lock the row for this transaction (before a change) */
	private Optional<PersonView> select(String realm, UUID id, boolean lock) {
		return this.jdbc.sql(lock ? SELECT + " for update" : SELECT)
			.param("id", id)
			.param("realm", realm)
			.query((rs, row) -> new PersonView(rs.getObject("id", UUID.class), rs.getString("username"),
					rs.getString("family_name"), rs.getString("given_name"), rs.getString("family_name_kana"),
					rs.getString("given_name_kana"), rs.getString("romanised_name"), rs.getString("email"),
					rs.getBoolean("email_verified"), rs.getString("phone_number"), rs.getBoolean("enabled"),
					rs.getLong("version")))
			.optional();
	}

}
