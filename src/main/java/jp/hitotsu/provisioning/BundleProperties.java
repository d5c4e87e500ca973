package jp.hitotsu.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * One-way directory bundles (docs/directory-bundles.md): what this process accepts and how
 * big a bundle may be.
 *
 * @param maxSize the largest bundle file exported or imported
 * @param maxAccounts the most accounts in one bundle
 * @param activationCodeLifetime how long the activation code of an imported account works
 * @param activationAttempts wrong codes (or usernames with a code) after which a code is void
 * @param imports per realm of this process that accepts bundles: the keys it trusts. A realm
 * not named here refuses every bundle. Meant for the realms of the My Number zone; the zone
 * is not hard-coded, so a test realm can accept bundles too
 */
@Validated
@ConfigurationProperties("hitotsu.bundles")
public record BundleProperties(@DefaultValue("32MB") @NotNull DataSize maxSize,
		@DefaultValue("50000") @Min(1) @Max(1_000_000) int maxAccounts,
		@DefaultValue("72h") @NotNull Duration activationCodeLifetime,
		@DefaultValue("5") @Min(1) @Max(100) int activationAttempts, @Valid Map<String, Import> imports) {

	public BundleProperties {
		imports = (imports != null) ? Map.copyOf(imports) : Map.of();
	}

	/**
	 * @param trustedKeys the public keys whose bundles the realm applies: each a JWK as JSON
	 * (it starts with <code>{</code>) or the path of a file holding one, read at every import
	 * (so a key file can be replaced without a restart)
	 */
	public record Import(@NotEmpty List<@NotNull String> trustedKeys) {
	}

}
