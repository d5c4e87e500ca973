package jp.hitotsu.realm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Realm files: what an operator writes, and what they are told when it is wrong. */
class RealmDefinitionLoaderTests {

	@TempDir
	Path directory;

	private final RealmDefinitionLoader loader = new RealmDefinitionLoader();

	private Path write(String name, String yaml) throws IOException {
		return Files.writeString(this.directory.resolve(name), yaml);
	}

	@Test
	void loadWhenShippedRealmFilesThenAllValid() {
		assertThat(this.loader.loadDirectory(Path.of("config/realms")))
			.extracting((loaded) -> loaded.definition().name())
			.containsExactly("citizen", "mynumber", "staff");
	}

	@Test
	void loadWhenMinimalThenDefaultsApply() throws IOException {
		RealmDefinition realm = this.loader.load(write("r.yaml", """
				name: r1
				zone: lgwan
				display-name: {ja: 試験, en: Test}
				"""));
		assertThat(realm.zone()).isEqualTo(Zone.LGWAN);
		assertThat(realm.tokens().accessTokenLifetime()).isEqualTo(Duration.ofMinutes(5));
		assertThat(realm.tokens().signingAlgorithm()).isEqualTo("RS256");
		assertThat(realm.login().acrFor(jp.hitotsu.realm.AssuranceLevel.AAL1)).isEqualTo("urn:hitotsu:aal1");
	}

	@Test
	void loadWhenDurationsWrittenShortThenParsed() throws IOException {
		RealmDefinition realm = this.loader.load(write("r.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				tokens:
				  access-token-lifetime: 90s
				  refresh-token-lifetime: PT2H
				"""));
		assertThat(realm.tokens().accessTokenLifetime()).isEqualTo(Duration.ofSeconds(90));
		assertThat(realm.tokens().refreshTokenLifetime()).isEqualTo(Duration.ofHours(2));
	}

	@Test
	void loadWhenUnknownFieldThenFileLineAndFieldNamed() throws IOException {
		Path file = write("bad.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				tokens:
				  acess-token-lifetime: 5m
				""");
		assertThatThrownBy(() -> this.loader.load(file)).isInstanceOf(RealmDefinitionException.class)
			.hasMessageContaining(file.toString())
			.hasMessageContaining("line 5")
			.hasMessageContaining("acess-token-lifetime");
	}

	@Test
	void loadWhenUnknownZoneThenValidZonesListed() throws IOException {
		Path file = write("bad.yaml", """
				name: r1
				zone: intranet
				display-name: {ja: 試験, en: Test}
				""");
		assertThatThrownBy(() -> this.loader.load(file)).hasMessageContaining("line 2")
			.hasMessageContaining("intranet")
			.hasMessageContaining("internet, lgwan, mynumber");
	}

	@Test
	void loadWhenClientBreaksARuleThenClientAndRuleNamed() throws IOException {
		Path file = write("bad.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				clients:
				  - client-id: app
				    secret: s3cret-s3cret
				    grant-types: [authorization_code]
				""");
		assertThatThrownBy(() -> this.loader.load(file)).isInstanceOf(RealmDefinitionException.class)
			.hasMessageContaining("client 'app'")
			.hasMessageContaining("redirect-uris");
	}

	@Test
	void loadWhenPublicClientAsksForClientCredentialsThenRefused() throws IOException {
		Path file = write("bad.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				clients:
				  - client-id: spa
				    authentication-methods: [none]
				    grant-types: [client_credentials]
				""");
		assertThatThrownBy(() -> this.loader.load(file)).hasMessageContaining("public client");
	}

	@Test
	void loadWhenInlineJwksHoldsAPrivateKeyThenRefused() throws IOException {
		Path file = write("bad.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				clients:
				  - client-id: signer
				    grant-types: [client_credentials]
				    jwks:
				      keys:
				        - {kty: EC, crv: P-256, kid: k, d: fvCX1br5AI0nBfsZ-2v6Z28aC67c3Opec-RydXJgrZ8, x: KtqAE5Sg_tAdTmwo7ZtiGCq0QQUvvlouOs1x67uQZbw, y: F5ExyftuJjU9yNpV1eAqsDD0-ptYEy0BdsagDFnsgqM}
				""");
		assertThatThrownBy(() -> this.loader.load(file)).hasMessageContaining("private key");
	}

	@Test
	void loadWhenSyntaxBrokenThenLineNamed() throws IOException {
		Path file = write("bad.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test
				""");
		assertThatThrownBy(() -> this.loader.load(file)).isInstanceOf(RealmDefinitionException.class)
			.hasMessageMatching("(?s).*line \\d+.*");
	}

	@Test
	void loadWhenDuplicateUsernameDifferingInCaseThenRefused() throws IOException {
		Path file = write("bad.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				users:
				  - {username: Tanaka, password: a-long-password}
				  - {username: tanaka, password: a-long-password}
				""");
		assertThatThrownBy(() -> this.loader.load(file)).hasMessageContaining("appears twice");
	}

	@Test
	void loadWhenRealmNameInvalidThenRefused() throws IOException {
		Path file = write("bad.yaml", """
				name: Bad Name
				zone: internet
				display-name: {ja: 試験, en: Test}
				""");
		assertThatThrownBy(() -> this.loader.load(file)).hasMessageContaining("'Bad Name'");
	}

	@Test
	void loadWhenBruteForceAbsentThenDefaults() throws IOException {
		BruteForcePolicy policy = this.loader.load(write("r.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				""")).bruteForce();
		assertThat(policy.delayAfterFailures()).isEqualTo(5);
		assertThat(policy.baseDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.lockAfterFailures()).isEqualTo(10);
		assertThat(policy.lockDuration()).isEqualTo(Duration.ofMinutes(15));
		assertThat(policy.attemptsPerIpPerMinute()).isEqualTo(30);
		assertThat(policy.forgetFailuresAfter()).isEqualTo(Duration.ofHours(12));
		assertThat(policy.delayAfter(4)).isZero();
		assertThat(policy.delayAfter(5)).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.delayAfter(7)).isEqualTo(Duration.ofSeconds(4));
		assertThat(policy.delayAfter(1000)).as("capped").isEqualTo(Duration.ofHours(1));
		assertThat(policy.locksAt(9)).isFalse();
		assertThat(policy.locksAt(10)).isTrue();
	}

	@Test
	void loadWhenBruteForceGivenThenRead() throws IOException {
		BruteForcePolicy policy = this.loader.load(write("r.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				brute-force:
				  delay-after-failures: 3
				  base-delay: 500ms
				  lock-after-failures: 6
				  lock-duration: 1h
				  attempts-per-ip-per-minute: 0
				  forget-failures-after: 1d
				""")).bruteForce();
		assertThat(policy.baseDelay()).isEqualTo(Duration.ofMillis(500));
		assertThat(policy.lockDuration()).isEqualTo(Duration.ofHours(1));
		assertThat(policy.limitsAddresses()).isFalse();
		assertThat(policy.forgetFailuresAfter()).isEqualTo(Duration.ofDays(1));
	}

	@Test
	void loadWhenBruteForceLocksBeforeItDelaysThenBothFieldsNamed() throws IOException {
		Path file = write("bad.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				brute-force:
				  delay-after-failures: 5
				  lock-after-failures: 3
				""");
		assertThatThrownBy(() -> this.loader.load(file)).isInstanceOf(RealmDefinitionException.class)
			.hasMessageContaining(file.toString())
			.hasMessageContaining("brute-force.lock-after-failures")
			.hasMessageContaining("brute-force.delay-after-failures");
	}

	@Test
	void loadWhenBruteForceValueOutOfRangeThenFieldNamed() throws IOException {
		Path negativeLimit = write("limit.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				brute-force:
				  attempts-per-ip-per-minute: -1
				""");
		assertThatThrownBy(() -> this.loader.load(negativeLimit))
			.hasMessageContaining("brute-force.attempts-per-ip-per-minute");
		Path zeroDelay = write("delay.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				brute-force:
				  base-delay: 0s
				""");
		assertThatThrownBy(() -> this.loader.load(zeroDelay)).hasMessageContaining("brute-force.base-delay");
		Path unknownField = write("unknown.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				brute-force:
				  lock-after: 3
				""");
		assertThatThrownBy(() -> this.loader.load(unknownField)).hasMessageContaining("line 5")
			.hasMessageContaining("lock-after");
	}

	@Test
	void loadDirectoryWhenMissingThenPropertyNamed() {
		assertThatThrownBy(() -> this.loader.loadDirectory(this.directory.resolve("absent")))
			.hasMessageContaining("hitotsu.realms-dir");
	}

	@Test
	void loadWhenEmptyFileThenSaidSo() throws IOException {
		Path file = write("empty.yaml", "");
		assertThatThrownBy(() -> this.loader.load(file)).hasMessageContaining("empty");
	}

	@Test
	void loadWhenSessionLongerThanNistAllowsAtTheLevelThenRefused() throws IOException {
		Path file = write("aal3.yaml", """
				name: strict
				zone: internet
				login:
				  level: aal3
				  session-idle-timeout: 30m
				""");
		assertThatThrownBy(() -> this.loader.load(file)).isInstanceOf(RealmDefinitionException.class)
			.hasMessageContaining("login.session-idle-timeout")
			.hasMessageContaining("aal3")
			.hasMessageContaining("PT15M");
	}

	@Test
	void loadWhenLevelUnreachableWithTheAllowedFactorsThenRefused() throws IOException {
		Path file = write("unreachable.yaml", """
				name: strict
				zone: internet
				login:
				  level: aal3
				  second-factors: [totp]
				""");
		assertThatThrownBy(() -> this.loader.load(file)).hasMessageContaining("passkey");
		Path unknown = write("unknown.yaml", """
				name: strict
				zone: internet
				login:
				  level: aal4
				""");
		assertThatThrownBy(() -> this.loader.load(unknown)).hasMessageContaining("aal4")
			.hasMessageContaining("aal1, aal2 or aal3");
	}

	@Test
	void loadWhenLevelAal3ThenNistLimitsAreTheDefaults() throws IOException {
		RealmDefinition realm = this.loader.load(write("aal3-defaults.yaml", """
				name: strict
				zone: internet
				display-name: {ja: 厳格, en: Strict}
				login:
				  level: aal3
				"""));
		assertThat(realm.login().sessionLifetime()).hasHours(12);
		assertThat(realm.login().sessionIdleTimeout()).hasMinutes(15);
		assertThat(realm.login().level()).isEqualTo(AssuranceLevel.AAL3);
	}

	@Test
	void loadWhenMyNumberRealmBreaksAZoneRuleThenRealmRuleAndValueNamed() throws IOException {
		String valid = """
				name: mn
				zone: mynumber
				display-name: {ja: 番号, en: Number}
				tokens: {access-token-lifetime: 5m, refresh-token-lifetime: 8h}
				login: {level: aal3, second-factors: [passkey]}
				""";
		assertThat(this.loader.load(write("valid.yaml", valid)).zone()).isEqualTo(Zone.MYNUMBER);
		assertThatThrownBy(() -> this.loader.load(write("aal2.yaml", valid.replace("level: aal3, second-factors: [passkey]",
				"level: aal2")))).hasMessageContaining("realm 'mn' (zone mynumber)")
			.hasMessageContaining("two factors, one phishing-resistant")
			.hasMessageContaining("login.level is aal2");
		assertThatThrownBy(() -> this.loader.load(write("long-token.yaml",
				valid.replace("access-token-lifetime: 5m", "access-token-lifetime: 10m"))))
			.hasMessageContaining("short-lived access tokens")
			.hasMessageContaining("PT10M");
		assertThatThrownBy(() -> this.loader.load(write("long-refresh.yaml",
				valid.replace("refresh-token-lifetime: 8h", "refresh-token-lifetime: 13h"))))
			.hasMessageContaining("refresh tokens never outlive the session");
		assertThatThrownBy(() -> this.loader.load(write("public-refresh.yaml", valid + """
				clients:
				  - client-id: kiosk
				    authentication-methods: [none]
				    grant-types: [authorization_code, refresh_token]
				    redirect-uris: [https://kiosk.example.test/cb]
				"""))).hasMessageContaining("client 'kiosk'")
			.hasMessageContaining("refresh tokens only for confidential clients");
		assertThatThrownBy(() -> this.loader.load(write("fetching.yaml", valid + """
				clients:
				  - client-id: batch
				    authentication-methods: [private_key_jwt]
				    grant-types: [client_credentials]
				    jwks-uri: https://batch.example.test/jwks
				"""))).hasMessageContaining("client 'batch'")
			.hasMessageContaining("no outbound calls")
			.hasMessageContaining("https://batch.example.test/jwks");
	}

	@Test
	void loadWhenRegistrationGivenThenReadAndRefusedInTheMyNumberZone() throws IOException {
		RealmDefinition absent = this.loader.load(write("plain.yaml", """
				name: r2
				zone: internet
				display-name: {ja: 試験, en: Test}
				"""));
		assertThat(absent.registration().enabled()).isFalse();
		assertThat(absent.registration().requireEmailVerification()).isTrue();
		assertThat(absent.registration().verificationLinkLifetime()).isEqualTo(Duration.ofHours(24));
		RegistrationPolicy given = this.loader.load(write("open.yaml", """
				name: r3
				zone: internet
				display-name: {ja: 試験, en: Test}
				registration: {enabled: true, require-email-verification: false, verification-link-lifetime: 2h}
				clients:
				  - client-id: procedures
				    authentication-methods: [none]
				    redirect-uris: [https://procedures.example.test/cb]
				    require-verified-email: true
				""")).registration();
		assertThat(given).isEqualTo(new RegistrationPolicy(true, false, Duration.ofHours(2)));
		assertThatThrownBy(() -> this.loader.load(write("week.yaml", """
				name: r4
				zone: internet
				display-name: {ja: 試験, en: Test}
				registration: {enabled: true, verification-link-lifetime: 8d}
				"""))).hasMessageContaining("registration.verification-link-lifetime");
		assertThatThrownBy(() -> this.loader.load(write("mn-open.yaml", """
				name: mn
				zone: mynumber
				display-name: {ja: 番号, en: Number}
				login: {level: aal3, second-factors: [passkey]}
				registration: {enabled: true}
				"""))).hasMessageContaining("realm 'mn' (zone mynumber)")
			.hasMessageContaining("no self-registration")
			.hasMessageContaining("registration.enabled is true");
	}

}
