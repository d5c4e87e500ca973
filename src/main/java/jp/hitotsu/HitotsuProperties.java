package jp.hitotsu;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;
import jp.hitotsu.realm.Zone;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Process-wide settings: which security zone this process serves, where its realm
 * definitions are, and where it keeps local state on the embedded default.
 *
 * @param zone the one zone this process serves; realm files of other zones are skipped
 * @param realmsDir directory of realm definition files ({@code *.yaml}, {@code *.yml})
 * @param dataDir root of local state (embedded database, generated master key); each zone
 * gets its own sub-directory so two zones never share files
 */
@Validated
@ConfigurationProperties("hitotsu")
public record HitotsuProperties(@DefaultValue("internet") @NotNull Zone zone,
		@DefaultValue("config/realms") @NotNull Path realmsDir, @DefaultValue("data") @NotNull Path dataDir) {

	/** The directory that holds this zone's local state. */
	public Path zoneDataDir() {
		return this.dataDir.resolve(this.zone.id());
	}

}
