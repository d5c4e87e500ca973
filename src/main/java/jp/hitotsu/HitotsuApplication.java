package jp.hitotsu;

import java.time.Clock;

import jp.hitotsu.audit.AuditCommand;
import jp.hitotsu.keys.KeyRotationCommand;
import jp.hitotsu.provisioning.BundleCommands;
import jp.hitotsu.provisioning.ScimImportCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class HitotsuApplication {

	public static void main(String[] args) {
		if (args.length > 0 && KeyRotationCommand.NAME.equals(args[0])) {
			KeyRotationCommand.run(HitotsuApplication.class, args);
			return;
		}
		if (args.length > 0 && BundleCommands.NAMES.contains(args[0])) {
			BundleCommands.run(HitotsuApplication.class, args);
			return;
		}
		if (args.length > 0 && AuditCommand.NAMES.contains(args[0])) {
			AuditCommand.run(HitotsuApplication.class, args);
			return;
		}
		if (args.length > 0 && ScimImportCommand.NAME.equals(args[0])) {
			ScimImportCommand.run(HitotsuApplication.class, args);
			return;
		}
		SpringApplication.run(HitotsuApplication.class, args);
	}

	/** The one clock of the server, replaceable in tests that move time. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
