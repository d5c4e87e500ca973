package jp.hitotsu.oidc;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The device authorization grant's (RFC 8628) defence against guessed user codes.
 *
 * @param userCodeAttempts wrong user codes one logged-in person may enter at a realm's
 * device page within the window before the page refuses every code until the window ends
 * @param attemptWindow how long wrong codes are counted, from the first one
 */
@Validated
@ConfigurationProperties("hitotsu.device")
public record DeviceGrantProperties(@DefaultValue("5") @Min(1) @Max(1000) int userCodeAttempts,
		@DefaultValue("15m") Duration attemptWindow) {

	public DeviceGrantProperties {
		if (attemptWindow.isNegative() || attemptWindow.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("hitotsu.device.attempt-window must be at least 1s, got " + attemptWindow);
		}
	}

}
