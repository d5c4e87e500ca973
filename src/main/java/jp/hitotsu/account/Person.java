package jp.hitotsu.account;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a citizen's account says about its person. Names are kept exactly as given (any
 * Unicode, including characters beyond JIS X 0208), family and given name apart.
 *
 * @param familyNameKana the reading of the family name in katakana or hiragana
 * @param givenNameKana the reading of the given name in katakana or hiragana
 * @param romanisedName an optional romanised form, e.g. {@code YAMADA Ichiro}
 * @param phoneNumber an optional phone number in E.164, e.g. {@code +819012345678}
 */
public record Person(String familyName, String givenName, String familyNameKana, String givenNameKana,
		String romanisedName, String phoneNumber) {

	static final int MAX_NAME = 255;

	/** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
	private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

	/** Hiragana, katakana (with the prolonged sound mark and middle dot) and spaces. */
	private static final Pattern KANA = Pattern.compile("[\\p{IsHiragana}\\p{IsKatakana}ー・ 　]+");

	/** Letters of any Latin script, spaces, hyphens, apostrophes and dots. */
	private static final Pattern ROMANISED = Pattern.compile("[\\p{IsLatin} .'-]+");

	/** Spaces and hyphens people type inside phone numbers, dropped before the check. */
	private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s()-]");

	public Person {
		familyName = blankToNull(familyName);
		givenName = blankToNull(givenName);
		familyNameKana = blankToNull(familyNameKana);
		givenNameKana = blankToNull(givenNameKana);
		romanisedName = blankToNull(romanisedName);
		phoneNumber = (blankToNull(phoneNumber) != null) ? PHONE_SEPARATORS.matcher(phoneNumber).replaceAll("") : null;
	}

	/** The name as tokens show it ({@code name}): family name first, as written in Japan. */
	public String displayName() {
		if (this.familyName == null) {
			return this.givenName;
		}
		return (this.givenName == null) ? this.familyName : this.familyName + " " + this.givenName;
	}

	/**
	 * What is wrong with it, field by field (names of the sign-up form's fields, each with
	 * the key of its message); empty when nothing is.
	 */
	public List<FieldError> check() {
		List<FieldError> errors = new ArrayList<>();
		required(errors, "familyName", this.familyName);
		required(errors, "givenName", this.givenName);
		pattern(errors, "familyNameKana", this.familyNameKana, KANA, "person.error.kana");
		pattern(errors, "givenNameKana", this.givenNameKana, KANA, "person.error.kana");
		pattern(errors, "romanisedName", this.romanisedName, ROMANISED, "person.error.romanised");
		if (this.phoneNumber != null && !E164.matcher(this.phoneNumber).matches()) {
			errors.add(new FieldError("phoneNumber", "person.error.phone"));
		}
		return errors;
	}

	private static void required(List<FieldError> errors, String field, String value) {
		if (value == null) {
			errors.add(new FieldError(field, "person.error.required"));
		}
		else if (tooLong(value)) {
			errors.add(new FieldError(field, "person.error.too-long"));
		}
		else if (value.codePoints().anyMatch(Character::isISOControl)) {
			errors.add(new FieldError(field, "person.error.control"));
		}
	}

	private static void pattern(List<FieldError> errors, String field, String value, Pattern pattern, String key) {
		if (value == null) {
			return;
		}
		if (tooLong(value)) {
			errors.add(new FieldError(field, "person.error.too-long"));
		}
		else if (!pattern.matcher(value).matches()) {
			errors.add(new FieldError(field, key));
		}
	}

	/** Counted in characters (code points): a name beyond the BMP is one character each. */
	private static boolean tooLong(String value) {
		return value.codePointCount(0, value.length()) > MAX_NAME;
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	/** A form field and the message key of what is wrong with it. */
	public record FieldError(String field, String messageKey) {
	}

}
