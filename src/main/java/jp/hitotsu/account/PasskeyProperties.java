package jp.hitotsu.account;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where passkeys are valid. A passkey is bound to a domain (the relying party id): it
 * works for pages under that domain only, and never on an IP address.
 *
 * @param rpId the domain passkeys are registered for, e.g. {@code id.example.city.jp};
 * empty: the host name of each request (fine on one host, e.g. {@code localhost})
 * @param allowedOrigins the origins ({@code https://host[:port]}) whose pages may use
 * passkeys; empty: any origin whose host is the rp id or under it
 */
@Validated
@ConfigurationProperties("hitotsu.passkeys")
public record PasskeyProperties(String rpId, List<String> allowedOrigins) {

	public PasskeyProperties {
		rpId = (rpId != null && !rpId.isBlank()) ? rpId.strip() : null;
		allowedOrigins = (allowedOrigins != null) ? List.copyOf(allowedOrigins) : List.of();
	}

}
