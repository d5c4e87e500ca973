package jp.hitotsu.federation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import jp.hitotsu.realm.RealmDefinition;
import jp.hitotsu.realm.RealmDefinitionLoader;
import jp.hitotsu.realm.RealmProvisionedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A realm file's upstream providers: the My Number zone brokers only to listed hosts, and
 * a provider's key file must hold a private key.
 */
class UpstreamProvidersTests {

	@TempDir
	Path dir;

	@Test
	void provisionWhenMyNumberRealmNamesUnlistedHostThenRefusedNamingRealmProviderAndSetting() throws Exception {
		RealmDefinition realm = realm("mynumber", "https://idp.example.test", key(true));

		assertThatThrownBy(() -> providers().onRealmProvisioned(new RealmProvisionedEvent(realm)))
			.hasMessageContaining("realm 'mn-broker'")
			.hasMessageContaining("upstream provider 'card'")
			.hasMessageContaining("hitotsu.federation.allowed-hosts");
	}

	@Test
	void provisionWhenMyNumberRealmNamesListedHostThenButtonShown() throws Exception {
		RealmDefinition realm = realm("mynumber", "https://idp.example.test", key(true));
		UpstreamProviders providers = new UpstreamProviders(properties(List.of("idp.example.test")));

		providers.onRealmProvisioned(new RealmProvisionedEvent(realm));

		assertThat(providers.buttons(realm.realm())).singleElement()
			.satisfies((button) -> assertThat(button.path()).isEqualTo("/realms/mn-broker/broker/card/login"));
	}

	@Test
	void provisionWhenKeyFileHoldsPublicKeyThenRefused() throws Exception {
		RealmDefinition realm = realm("internet", "https://idp.example.test", key(false));

		assertThatThrownBy(() -> providers().onRealmProvisioned(new RealmProvisionedEvent(realm)))
			.hasMessageContaining("upstream provider 'card'")
			.hasMessageContaining("no private key");
	}

	@Test
	void loadWhenIssuerIsPlainHttpElsewhereThenRefused() throws Exception {
		assertThatThrownBy(() -> realm("internet", "http://idp.example.test", key(true)))
			.hasMessageContaining("upstream provider 'card'")
			.hasMessageContaining("https");
	}

	private RealmDefinition realm(String zone, String issuer, Path key) throws IOException {
		Path file = this.dir.resolve("mn-broker.yaml");
		Files.writeString(file, """
				name: mn-broker
				zone: %s
				display-name: {ja: 連携, en: Broker}
				tokens:
				  access-token-lifetime: 5m
				  id-token-lifetime: 5m
				  refresh-token-lifetime: 12h
				login:
				  level: aal3
				  second-factors: [passkey]
				  session-lifetime: 12h
				  session-idle-timeout: 15m
				upstream-providers:
				  - alias: card
				    display-name: {ja: カード, en: Card}
				    issuer: %s
				    client-id: hitotsu
				    private-key-file: %s
				""".formatted(zone, issuer, key));
		return new RealmDefinitionLoader().load(file);
	}

	private Path key(boolean withPrivate) throws JOSEException, IOException {
		var key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
		Path file = this.dir.resolve(withPrivate ? "private.json" : "public.json");
		Files.writeString(file, withPrivate ? key.toJSONString() : key.toPublicJWK().toJSONString());
		return file;
	}

	private static UpstreamProviders providers() {
		return new UpstreamProviders(properties(List.of()));
	}

	private static FederationProperties properties(List<String> hosts) {
		return new FederationProperties(hosts, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60),
				Duration.ofMinutes(10));
	}

}
