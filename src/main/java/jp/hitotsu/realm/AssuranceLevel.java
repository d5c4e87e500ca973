package jp.hitotsu.realm;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Authenticator assurance levels of NIST SP 800-63B-4, in increasing strength. A realm
 * names the {@code acr} value it emits for each (see {@link LoginPolicy#acrFor}).
 */
public enum AssuranceLevel {

	/** One factor. */
	AAL1,
	/** Two factors. */
	AAL2,
	/** Two factors, one of them phishing-resistant (a passkey). */
	AAL3;

	/** The name used in realm files: {@code aal1}, {@code aal2}, {@code aal3}. */
	@JsonValue
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	public boolean atLeast(AssuranceLevel other) {
		return compareTo(other) >= 0;
	}

	public static AssuranceLevel max(AssuranceLevel a, AssuranceLevel b) {
		return a.atLeast(b) ? a : b;
	}

	@JsonCreator
	static AssuranceLevel of(String key) {
		return fromKey(key.toLowerCase(Locale.ROOT)).orElseThrow(
				() -> new IllegalArgumentException("unknown assurance level '" + key + "'; expected aal1, aal2 or aal3"));
	}

	/** The level named {@code aal1}, {@code aal2} or {@code aal3}, if it is one. */
	public static Optional<AssuranceLevel> fromKey(String key) {
		for (AssuranceLevel level : values()) {
			if (level.key().equals(key)) {
				return Optional.of(level);
			}
		}
		return Optional.empty();
	}

}
