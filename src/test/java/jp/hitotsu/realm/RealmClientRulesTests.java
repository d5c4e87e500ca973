package jp.hitotsu.realm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A client registered at runtime meets the same zone rules as a realm file's client. The
 * test server serves the internet zone only, so the My Number realm is checked here, as
 * the admin API checks it ({@code Realm.checkClient}).
 */
class RealmClientRulesTests {

	private final Realm mynumber = new RealmDefinitionLoader()
		.load(Path.of("src/test/resources/realms/mynumber.yaml"))
		.realm();

	@Test
	void checkClientWhenMyNumberAndLongAccessTokenThenRefusedNamingTheRule() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.mynumber.checkClient(client(Duration.ofMinutes(10))))
			.withMessageContaining("realm 'mynumber'")
			.withMessageContaining("client 'late'")
			.withMessageContaining("rule 'short-access-tokens'");
	}

	@Test
	void checkClientWhenMyNumberAndWithinTheRulesThenAccepted() {
		assertThatCode(() -> this.mynumber.checkClient(client(Duration.ofMinutes(2)))).doesNotThrowAnyException();
	}

	@Test
	void checkClientWhenMyNumberAndDeviceGrantThenRefusedNamingTheRule() {
		ClientDefinition kiosk = new ClientDefinition("kiosk", null, null, null, List.of("none"),
				List.of(ClientDefinition.DEVICE_CODE), null, null, List.of("profile"), null, false, null, null, null,
				null, null, null, null, false, false, null, null, false, null, false, false, null);
		assertThatIllegalArgumentException().isThrownBy(() -> this.mynumber.checkClient(kiosk))
			.withMessageContaining("client 'kiosk'")
			.withMessageContaining("rule 'no-device-grant'");
	}

	private static ClientDefinition client(Duration accessTokenLifetime) {
		return new ClientDefinition("late", null, null, "{sha256}x", null, List.of("client_credentials"), null, null,
				List.of("openid"), null, false, null, null, null, null, accessTokenLifetime, null, null, false, false, null,
				null, false, null, false, false, null);
	}

}
