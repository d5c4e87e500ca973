package jp.hitotsu.realm;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How people log in to a realm and how long that lasts.
 *
 * @param sessionLifetime how long a login lasts at most, however active
 * @param sessionIdleTimeout how long a login lasts without use
 * @param acrValues the {@code acr} value the realm emits for each assurance level
 * ({@code aal1}: one factor, {@code aal2}: two factors, {@code aal3}: two factors, one of
 * them phishing-resistant)
 */
public record LoginPolicy(Duration sessionLifetime, Duration sessionIdleTimeout, Map<String, String> acrValues) {

	public static final LoginPolicy DEFAULTS = new LoginPolicy(null, null, null);

	public LoginPolicy {
		sessionLifetime = TokenPolicy.positive(sessionLifetime, Duration.ofHours(10), "login.session-lifetime");
		sessionIdleTimeout = TokenPolicy.positive(sessionIdleTimeout, Duration.ofMinutes(30),
				"login.session-idle-timeout");
		Map<String, String> acr = new LinkedHashMap<>();
		acr.put("aal1", "urn:hitotsu:aal1");
		acr.put("aal2", "urn:hitotsu:aal2");
		acr.put("aal3", "urn:hitotsu:aal3");
		if (acrValues != null) {
			acrValues.forEach((level, value) -> {
				Definitions.require(acr.containsKey(level),
						"login.acr-values has unknown level '" + level + "'; use aal1, aal2 or aal3");
				Definitions.require(value != null && !value.isBlank(), "login.acr-values." + level + " is empty");
				acr.put(level, value);
			});
		}
		acrValues = Map.copyOf(acr);
	}

	/** The {@code acr} a login with the given assurance level earns in this realm. */
	public String acrFor(String level) {
		return this.acrValues.get(level);
	}

}
