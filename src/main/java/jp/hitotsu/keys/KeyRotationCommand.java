package jp.hitotsu.keys;

import java.util.Arrays;
import java.util.List;

import jp.hitotsu.realm.RealmRegistry;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar hitotsu.jar rotate-keys REALM [--property=value ...]}: publishes new
 * signing keys for the realm, which sign from {@code hitotsu.keys.activation-delay} on (the
 * keys they replace stop signing then), and exits. It opens the same database as the
 * server (same properties), without a web server. On the embedded default the server must
 * be stopped first (one process per data directory); against an external database running
 * servers are told at once (PostgreSQL notifications) and publish the new keys within
 * moments, at the latest within {@code hitotsu.keys.cache-refresh}.
 */
public final class KeyRotationCommand {

	public static final String NAME = "rotate-keys";

	private KeyRotationCommand() {
	}

	public static void run(Class<?> application, String[] args) {
		List<String> positional = Arrays.stream(args).filter((arg) -> !arg.startsWith("--")).toList();
		if (positional.size() != 2) {
			System.err.println("usage: rotate-keys REALM [--property=value ...]");
			System.exit(2);
		}
		String realm = positional.get(1);
		String[] options = Arrays.stream(args).filter((arg) -> arg.startsWith("--")).toArray(String[]::new);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.run(options)) {
			context.getBean(RealmRegistry.class).get(realm);
			SigningKeyService.Rotation rotation = context.getBean(SigningKeyService.class).rotate(realm);
			System.out.println("Published new signing keys for realm '" + realm + "': " + rotation.kids()
					+ "; they sign from " + rotation.activatesAt());
		}
	}

}
