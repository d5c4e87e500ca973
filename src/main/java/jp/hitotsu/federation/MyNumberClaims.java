package jp.hitotsu.federation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hitotsu never accepts, stores or logs a My Number (個人番号): a claim that is one by its
 * name, or looks like one (exactly 12 digits, with or without separators), is dropped from
 * an upstream provider's claims before anything reads them.
 */
final class MyNumberClaims {

	private static final Set<String> NAMES = Set.of("my_number", "mynumber", "individual_number",
			"individual_number_card", "kojin_bango", "kojinbango");

	/** Twelve digits, possibly grouped by spaces or hyphens (e.g. 1234 5678 9012), any digit script. */
	private static final Pattern TWELVE_DIGITS = Pattern.compile("\\p{Nd}{4}[ \\-]?\\p{Nd}{4}[ \\-]?\\p{Nd}{4}");

	private MyNumberClaims() {
	}

	/** The claims without any that is, or looks like, a My Number; nested objects too. */
	static Map<String, Object> strip(Map<String, Object> claims) {
		Map<String, Object> kept = new LinkedHashMap<>();
		claims.forEach((name, value) -> {
			if (NAMES.contains(name.toLowerCase(Locale.ROOT).replace("-", "_")) || looksLikeOne(value)) {
				return;
			}
			if (value instanceof Map<?, ?> nested) {
				@SuppressWarnings("unchecked")
				Map<String, Object> inner = (Map<String, Object>) nested;
				kept.put(name, strip(inner));
			}
			else {
				kept.put(name, value);
			}
		});
		return kept;
	}

	private static boolean looksLikeOne(Object value) {
		if (value instanceof Number number) {
			return TWELVE_DIGITS.matcher(number.toString()).matches();
		}
		return value instanceof String text && TWELVE_DIGITS.matcher(text.strip()).matches();
	}

}
