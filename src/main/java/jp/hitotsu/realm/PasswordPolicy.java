package jp.hitotsu.realm;

import java.time.Duration;

/**
 * What a realm asks of the passwords people choose (a change, a reset, the new password
 * after a temporary one), after NIST SP 800-63B-4: a minimum and a maximum length, no
 * composition rules, and no password from the list of common and breached ones. Lengths
 * count Unicode code points after NFKC normalisation. The realm file's own users are not
 * held to it: they are set by an administrator.
 *
 * @param minLength fewest characters; at least 15 where a password may be the only
 * factor ({@code login.level} {@code aal1}), at least 8 where a second factor is always
 * required
 * @param maxLength most characters, at least 64 so passphrases fit
 * @param rejectCommon refuse passwords found in the bundled list of common and breached
 * passwords
 * @param resetByEmail people may reset a forgotten password with a link sent to their
 * verified e-mail address
 * @param resetLinkLifetime how long such a link works
 */
public record PasswordPolicy(int minLength, int maxLength, boolean rejectCommon, boolean resetByEmail,
		Duration resetLinkLifetime) {

	/** NIST SP 800-63B-4: a password that is the only factor has at least 15 characters. */
	static final int SINGLE_FACTOR_MINIMUM = 15;

	/** NIST SP 800-63B-4: a password used with a second factor has at least 8 characters. */
	static final int MULTI_FACTOR_MINIMUM = 8;

	/** NIST SP 800-63B-4: verifiers accept passwords of at least 64 characters. */
	static final int MAX_LENGTH_FLOOR = 64;

	/**
	 * The highest maximum: two UTF-16 units per code point stay within what the login form
	 * accepts (1024), and nobody makes the server hash a megabyte.
	 */
	static final int MAX_LENGTH_CEILING = 256;

	static final int DEFAULT_MAX_LENGTH = 128;

	static final Duration DEFAULT_RESET_LINK_LIFETIME = Duration.ofMinutes(30);

	/** A reset link is worth the password it sets: it may not live for days. */
	static final Duration MAX_RESET_LINK_LIFETIME = Duration.ofHours(24);

	public PasswordPolicy {
		Definitions.require(maxLength >= MAX_LENGTH_FLOOR && maxLength <= MAX_LENGTH_CEILING,
				"password-policy.max-length is " + maxLength + "; it must be between " + MAX_LENGTH_FLOOR + " and "
						+ MAX_LENGTH_CEILING);
		Definitions.require(minLength >= MULTI_FACTOR_MINIMUM && minLength <= maxLength,
				"password-policy.min-length is " + minLength + "; it must be at least " + MULTI_FACTOR_MINIMUM
						+ " and at most password-policy.max-length (" + maxLength + ")");
		Definitions.require(resetLinkLifetime != null && !resetLinkLifetime.isNegative() && !resetLinkLifetime.isZero()
				&& resetLinkLifetime.compareTo(MAX_RESET_LINK_LIFETIME) <= 0,
				"password-policy.reset-link-lifetime is " + resetLinkLifetime + "; it must be positive and at most "
						+ MAX_RESET_LINK_LIFETIME);
	}

	/** The policy of a realm file that does not write one, at the realm's login level. */
	static PasswordPolicy defaultsFor(AssuranceLevel level) {
		return new Written(null, null, null, null, null).resolve(level);
	}

	/**
	 * The {@code password-policy} block as a realm file writes it: every field optional.
	 * The default minimum, and the lowest one allowed, depend on the realm's login level,
	 * so the policy is complete only once the level is known.
	 */
	public record Written(Integer minLength, Integer maxLength, Boolean rejectCommon, Boolean resetByEmail,
			Duration resetLinkLifetime) {

		PasswordPolicy resolve(AssuranceLevel level) {
			boolean secondFactorRequired = level.atLeast(AssuranceLevel.AAL2);
			int floor = secondFactorRequired ? MULTI_FACTOR_MINIMUM : SINGLE_FACTOR_MINIMUM;
			int min = (this.minLength != null) ? this.minLength : floor;
			Definitions.require(min >= floor, "password-policy.min-length is " + min + ", below the " + floor
					+ " NIST SP 800-63B-4 requires when " + (secondFactorRequired
							? "a second factor is required (login.level " + level.key() + ")"
							: "a password may be the only factor (login.level " + level.key() + ")"));
			return new PasswordPolicy(min, (this.maxLength != null) ? this.maxLength : DEFAULT_MAX_LENGTH,
					(this.rejectCommon == null) || this.rejectCommon, Boolean.TRUE.equals(this.resetByEmail),
					(this.resetLinkLifetime != null) ? this.resetLinkLifetime : DEFAULT_RESET_LINK_LIFETIME);
		}

	}

}
