package jp.hitotsu.realm;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How people log in to a realm and how long that lasts.
 *
 * @param level the assurance level every login of the realm reaches at least
 * ({@code aal1} default); a client or a request may ask for more
 * @param secondFactors the second factors people may enrol and use ({@code totp},
 * {@code passkey}; both by default)
 * @param passwordless whether a passkey with user verification may stand in for the
 * password (it then proves two factors in one)
 * @param sessionLifetime how long a login lasts at most, however active; defaults and
 * upper bounds follow NIST SP 800-63B-4: 24 h up to {@code aal2}, 12 h at {@code aal3}
 * @param sessionIdleTimeout how long a login lasts without use; 1 h up to {@code aal2},
 * 15 min at {@code aal3}
 * @param acrValues the {@code acr} value the realm emits for each assurance level
 * ({@code aal1}: one factor, {@code aal2}: two factors, {@code aal3}: two factors, one of
 * them phishing-resistant)
 */
public record LoginPolicy(AssuranceLevel level, Set<SecondFactor> secondFactors, boolean passwordless,
		Duration sessionLifetime, Duration sessionIdleTimeout, Map<String, String> acrValues) {

	public static final LoginPolicy DEFAULTS = new LoginPolicy(null, null, false, null, null, null);

	public LoginPolicy {
		level = (level != null) ? level : AssuranceLevel.AAL1;
		secondFactors = (secondFactors == null) ? EnumSet.allOf(SecondFactor.class)
				: secondFactors.isEmpty() ? EnumSet.noneOf(SecondFactor.class) : EnumSet.copyOf(secondFactors);
		Definitions.require(!level.atLeast(AssuranceLevel.AAL2) || !secondFactors.isEmpty(),
				"login.level is " + level.key() + " but login.second-factors is empty: nobody could reach it");
		Definitions.require(!level.atLeast(AssuranceLevel.AAL3) || secondFactors.contains(SecondFactor.PASSKEY),
				"login.level is aal3, which needs a passkey, but login.second-factors does not allow passkey");
		boolean aal3 = level == AssuranceLevel.AAL3;
		Duration maxLifetime = aal3 ? Duration.ofHours(12) : Duration.ofHours(24);
		Duration maxIdle = aal3 ? Duration.ofMinutes(15) : Duration.ofHours(1);
		sessionLifetime = TokenPolicy.positive(sessionLifetime, maxLifetime, "login.session-lifetime");
		sessionIdleTimeout = TokenPolicy.positive(sessionIdleTimeout, maxIdle, "login.session-idle-timeout");
		Definitions.require(sessionLifetime.compareTo(maxLifetime) <= 0, "login.session-lifetime is " + sessionLifetime
				+ ", longer than the " + maxLifetime + " NIST SP 800-63B-4 allows at " + level.key());
		Definitions.require(sessionIdleTimeout.compareTo(maxIdle) <= 0, "login.session-idle-timeout is "
				+ sessionIdleTimeout + ", longer than the " + maxIdle + " NIST SP 800-63B-4 allows at " + level.key());
		Map<String, String> acr = new LinkedHashMap<>();
		for (AssuranceLevel each : AssuranceLevel.values()) {
			acr.put(each.key(), "urn:hitotsu:" + each.key());
		}
		if (acrValues != null) {
			acrValues.forEach((key, value) -> {
				Definitions.require(acr.containsKey(key),
						"login.acr-values has unknown level '" + key + "'; use aal1, aal2 or aal3");
				Definitions.require(value != null && !value.isBlank(), "login.acr-values." + key + " is empty");
				acr.put(key, value);
			});
		}
		acrValues = Map.copyOf(acr);
	}

	/** The {@code acr} a login with the given assurance level earns in this realm. */
	public String acrFor(AssuranceLevel level) {
		return this.acrValues.get(level.key());
	}

	/** The level an {@code acr} value of this realm stands for, if it is one of them. */
	public Optional<AssuranceLevel> levelOf(String acr) {
		for (AssuranceLevel each : AssuranceLevel.values()) {
			if (this.acrValues.get(each.key()).equals(acr)) {
				return Optional.of(each);
			}
		}
		return AssuranceLevel.fromKey(acr);
	}

	public boolean allows(SecondFactor factor) {
		return this.secondFactors.contains(factor);
	}

	/** Second factors a realm can allow. */
	public enum SecondFactor {

		/** An RFC 6238 authenticator app (with recovery codes). */
		TOTP,
		/** A WebAuthn passkey. */
		PASSKEY;

		@JsonValue
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		@JsonCreator
		static SecondFactor of(String key) {
			for (SecondFactor factor : values()) {
				if (factor.name().equalsIgnoreCase(key)) {
					return factor;
				}
			}
			throw new IllegalArgumentException("unknown second factor '" + key + "'; expected totp or passkey");
		}

	}

}
