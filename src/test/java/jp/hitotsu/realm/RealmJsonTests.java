package jp.hitotsu.realm;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Realm settings as stored in the database, read back by a later version of the server. */
class RealmJsonTests {

	/**
	 * What the first version stored for a realm (tokens and login only, no level, no
	 * {@code passwordless}): a replica that reloads its realms while another provisions
	 * them, or the first start of a new version on an old database, reads such a row.
	 */
	private static final String FIRST_VERSION_SETTINGS = """
			{"tokens": {"access-token-lifetime": "PT5M", "id-token-lifetime": "PT5M",
			  "refresh-token-lifetime": "PT8H", "authorization-code-lifetime": "PT1M", "signing-algorithm": "RS256"},
			 "login": {"session-lifetime": "PT10H", "session-idle-timeout": "PT30M",
			  "acr-values": {"aal1": "urn:hitotsu:aal1", "aal2": "urn:hitotsu:aal2", "aal3": "urn:hitotsu:aal3"}}}
			""";

	@Test
	void readSettingsWhenWrittenBeforeLaterFieldsThenTheirDefaults() {
		RealmJson.Settings settings = RealmJson.readSettings(FIRST_VERSION_SETTINGS);
		assertThat(settings.login().passwordless()).isFalse();
		assertThat(settings.login().level()).isEqualTo(AssuranceLevel.AAL1);
		assertThat(settings.login().sessionLifetime()).isEqualTo(Duration.ofHours(10));
		assertThat(settings.passwordPolicy()).isEqualTo(PasswordPolicy.defaultsFor(AssuranceLevel.AAL1));
		assertThat(settings.registration()).isNull();
	}

	@Test
	void readSettingsWhenWrittenByThisVersionThenSameRealm() {
		Realm realm = new Realm("r1", Zone.of("internet"), new DisplayName("試験", "Test"), TokenPolicy.DEFAULTS,
				new LoginPolicy(AssuranceLevel.AAL2, null, true, null, null, null),
				PasswordPolicy.defaultsFor(AssuranceLevel.AAL2), null, null, null, null, null);
		RealmJson.Settings settings = RealmJson.readSettings(RealmJson.writeSettings(realm));
		assertThat(settings.login()).isEqualTo(realm.login());
		assertThat(settings.passwordPolicy()).isEqualTo(realm.passwordPolicy());
		assertThat(settings.registration()).isEqualTo(realm.registration());
	}

}
