package jp.hitotsu.realm;

import java.time.Duration;

/**
 * Whether people may create their own account in a realm (the {@code registration} block
 * of a realm file).
 *
 * @param enabled the login page offers sign-up at {@code /realms/R/register} (default
 * false)
 * @param requireEmailVerification a new account gets a verification link and counts as
 * unverified until it is opened (default true); clients that set
 * {@code require-verified-email} refuse an unverified account
 * @param verificationLinkLifetime how long a verification link works (default 24h, at
 * most 7 days)
 */
public record RegistrationPolicy(Boolean enabled, Boolean requireEmailVerification, Duration verificationLinkLifetime) {

	/** A link that proves an address need not live long: a new one is a click away. */
	static final Duration MAX_LINK_LIFETIME = Duration.ofDays(7);

	// after the constant its constructor reads
	public static final RegistrationPolicy DEFAULTS = new RegistrationPolicy(null, null, null);

	public RegistrationPolicy {
		enabled = Boolean.TRUE.equals(enabled);
		requireEmailVerification = (requireEmailVerification == null) || requireEmailVerification;
		verificationLinkLifetime = TokenPolicy.positive(verificationLinkLifetime, Duration.ofHours(24),
				"registration.verification-link-lifetime");
		Definitions.require(verificationLinkLifetime.compareTo(MAX_LINK_LIFETIME) <= 0,
				"registration.verification-link-lifetime is " + verificationLinkLifetime + "; it must be at most "
						+ MAX_LINK_LIFETIME);
	}

	/** The link's lifetime in whole minutes, rounded up, as pages and mails state it. */
	public long linkMinutes() {
		return this.verificationLinkLifetime.plusSeconds(59).toMinutes();
	}

}
