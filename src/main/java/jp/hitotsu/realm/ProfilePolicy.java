package jp.hitotsu.realm;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What people may change of their own data on the account console's profile page (the
 * {@code profile} block of a realm file). The e-mail address is not a field of the profile
 * form: {@link ProfileField#EMAIL} lets people change it on a page of its own, which proves
 * the new address with a link before the account takes it.
 *
 * @param editable the groups of fields the owner may edit; when absent, a realm where
 * people sign up themselves lets them edit everything they gave at sign-up (names, kana,
 * romanised name, phone, e-mail address), and any other realm (staff, whose data comes from HR) only the
 * phone number
 */
public record ProfilePolicy(Set<ProfileField> editable) {

	/** Where people sign up themselves: what they typed, they may correct. */
	static final ProfilePolicy SELF_REGISTERED = new ProfilePolicy(Set.of(ProfileField.values()));

	/** Where a system of record owns the person's data. */
	static final ProfilePolicy RECORD_OWNED = new ProfilePolicy(Set.of(ProfileField.PHONE));

	public ProfilePolicy {
		editable = (editable != null) ? Set.copyOf(editable) : null;
	}

	/** The policy a realm file without a {@code profile.editable} list gets. */
	static ProfilePolicy defaultsFor(RegistrationPolicy registration) {
		return registration.enabled() ? SELF_REGISTERED : RECORD_OWNED;
	}

	/** This policy, or the defaults for the realm where it says nothing. */
	ProfilePolicy orDefaultsFor(RegistrationPolicy registration) {
		return (this.editable != null) ? this : defaultsFor(registration);
	}

	public boolean allows(ProfileField field) {
		return this.editable.contains(field);
	}

	/** A group of the person's fields that a realm lets its people edit. */
	public enum ProfileField {

		/** Family and given name. */
		NAMES(List.of("familyName", "givenName")),
		/** The readings of the names in kana. */
		KANA(List.of("familyNameKana", "givenNameKana")),
		/** The name in Latin letters. */
		ROMANISED(List.of("romanisedName")),
		/** The phone number (E.164). */
		PHONE(List.of("phoneNumber")),
		/** The e-mail address, changed through a link sent to the new one (not on the profile form). */
		EMAIL(List.of());

		private final List<String> formFields;

		ProfileField(List<String> formFields) {
			this.formFields = formFields;
		}

		/** The names of the profile form's fields this group covers. */
		public List<String> formFields() {
			return this.formFields;
		}

		@JsonValue
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		@JsonCreator
		static ProfileField of(String key) {
			for (ProfileField field : values()) {
				if (field.key().equals(key)) {
					return field;
				}
			}
			throw new IllegalArgumentException(
					"unknown profile field '" + key + "'; expected names, kana, romanised, phone or email");
		}

	}

}
