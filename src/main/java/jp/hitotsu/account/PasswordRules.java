package jp.hitotsu.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jp.hitotsu.realm.PasswordPolicy;

import org.springframework.stereotype.Component;

/**
 * Applies a realm's {@link PasswordPolicy} to a password someone chose. Every Unicode
 * character is allowed and there are no composition rules (NIST SP 800-63B-4); length is
 * counted in code points of the NFKC form, which is also the form that is hashed.
 *
 * <p>
 * The list of common and breached passwords is zxcvbn's (MIT licence, see
 * {@code passwords/README.md}), read once into memory and compared without regard to
 * case.
 */
@Component
class PasswordRules {

	static final String COMMON_PASSWORDS = "passwords/common-passwords.txt";

	/**
	 * The raw form a login form accepts (UTF-16 units): a password longer than that could
	 * be set but never typed in again.
	 */
	static final int MAX_RAW_LENGTH = 1024;

	private final Set<String> common;

	PasswordRules() {
		this.common = load();
	}

	Optional<PasswordRejection> check(PasswordPolicy policy, String password) {
		if (password.length() > MAX_RAW_LENGTH) {
			return Optional.of(PasswordRejection.TOO_LONG);
		}
		String normalized = normalize(password);
		int length = normalized.codePointCount(0, normalized.length());
		if (length < policy.minLength()) {
			return Optional.of(PasswordRejection.TOO_SHORT);
		}
		if (length > policy.maxLength()) {
			return Optional.of(PasswordRejection.TOO_LONG);
		}
		if (policy.rejectCommon() && this.common.contains(normalized.toLowerCase(Locale.ROOT))) {
			return Optional.of(PasswordRejection.COMMON);
		}
		return Optional.empty();
	}

	/** How many passwords the bundled list holds. */
	int commonPasswordCount() {
		return this.common.size();
	}

	/**
	 * The stable form of a password: "ｐａｓｓ" typed on a full-width keyboard and "pass"
	 * are one password (NIST SP 800-63B-4 asks for NFKC or NFKD).
	 */
	static String normalize(CharSequence password) {
		return Normalizer.normalize(password, Normalizer.Form.NFKC);
	}

	private static Set<String> load() {
		InputStream in = PasswordRules.class.getClassLoader().getResourceAsStream(COMMON_PASSWORDS);
		if (in == null) {
			throw new IllegalStateException(COMMON_PASSWORDS + " is missing from the class path");
		}
		Set<String> passwords = new HashSet<>(65536);
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (!line.isBlank()) {
					passwords.add(normalize(line.strip()).toLowerCase(Locale.ROOT));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + COMMON_PASSWORDS, ex);
		}
		return Set.copyOf(passwords);
	}

}
