package jp.hitotsu.realm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
	void loadWhenAuditSettingsThenFullAuditAlwaysInZoneMyNumberAndRetentionOfAtLeastADay() throws IOException {
		RealmDefinition plain = this.loader.load(write("plain.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				"""));
		assertThat(plain.realm().audit()).isEqualTo(new AuditPolicy(null));
		assertThat(plain.realm().fullAudit()).isFalse();
		RealmDefinition kept = this.loader.load(write("kept.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				policies: [full-audit]
				audit: {retention: 400d}
				"""));
		assertThat(kept.realm().audit()).isEqualTo(new AuditPolicy(java.time.Duration.ofDays(400)));
		assertThat(kept.realm().fullAudit()).isTrue();
		RealmDefinition myNumber = this.loader.load(write("mn.yaml", """
				name: mn
				zone: mynumber
				display-name: {ja: 試験, en: Test}
				login: {level: aal3, second-factors: [passkey]}
				"""));
		assertThat(myNumber.realm().fullAudit()).as("the zone audits every call whatever the file says").isTrue();
		Path tooShort = write("short.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				audit: {retention: 12h}
				""");
		assertThatThrownBy(() -> this.loader.load(tooShort)).hasMessageContaining("audit.retention");
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

	private static final String MYNUMBER = """
			name: mn
			zone: mynumber
			display-name: {ja: 番号, en: Number}
			tokens: {access-token-lifetime: 5m, refresh-token-lifetime: 8h}
			login: {level: aal3, second-factors: [passkey]}
			""";

	@Test
	void loadWhenMyNumberRealmCompliesThenEveryRuleApplies() throws IOException {
		RealmDefinition realm = this.loader.load(write("valid.yaml", MYNUMBER + """
				clients:
				  - client-id: batch
				    secret: a-long-random-secret-for-batch
				    grant-types: [client_credentials]
				"""));
		assertThat(realm.realm().policies()).containsExactlyInAnyOrder(RealmRule.values());
		assertThat(realm.realm().senderConstrainedTokens()).isTrue();
		assertThat(realm.realm().fullAudit()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			phishing-resistant-login | level: aal3, second-factors: [passkey] | level: aal2 | login.level is aal2
			short-access-tokens | access-token-lifetime: 5m | access-token-lifetime: 10m | tokens.access-token-lifetime is PT10M
			refresh-within-session | refresh-token-lifetime: 8h | refresh-token-lifetime: 13h | tokens.refresh-token-lifetime is PT13H, longer than login.session-lifetime PT12H
			""")
	void loadWhenMyNumberRealmBreaksARealmRuleThenFileRealmRuleAndValueNamed(String rule, String compliant,
			String breaking, String valueFound) throws IOException {
		Path file = write(rule + ".yaml", MYNUMBER.replace(compliant, breaking));
		assertThatThrownBy(() -> this.loader.load(file)).isInstanceOf(RealmDefinitionException.class)
			.hasMessageContaining(file.toString())
			.hasMessageContaining("realm 'mn' (zone mynumber")
			.hasMessageContaining("rule '" + rule + "' (" + RealmRule.of(rule).description() + ")")
			.hasMessageContaining(valueFound);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			short-access-tokens | access-token-lifetime: 6m | client 'app': access-token-lifetime is PT6M
			confidential-refresh-tokens | authentication-methods: [none], grant-types: [authorization_code, refresh_token] | client 'app': a public client (authentication-methods [none]) has grant-types [authorization_code, refresh_token]
			refresh-within-session | refresh-token-lifetime: 13h | client 'app': refresh-token-lifetime is PT13H
			no-outbound-calls | authentication-methods: [private_key_jwt], jwks-uri: https://app.example.test/jwks | client 'app': jwks-uri is https://app.example.test/jwks
			""")
	void loadWhenMyNumberClientBreaksARealmRuleThenClientRuleAndValueNamed(String rule, String settings,
			String valueFound) throws IOException {
		Path file = write(rule + ".yaml", MYNUMBER + """
				clients:
				  - {client-id: app, redirect-uris: ['https://app.example.test/cb'], %s}
				""".formatted(settings));
		assertThatThrownBy(() -> this.loader.load(file)).isInstanceOf(RealmDefinitionException.class)
			.hasMessageContaining(file.toString())
			.hasMessageContaining("realm 'mn' (zone mynumber")
			.hasMessageContaining("rule '" + rule + "'")
			.hasMessageContaining(valueFound);
	}

	@Test
	void loadWhenMyNumberRealmResetsPasswordsByEmailThenRuleNamed() throws IOException {
		Path file = write("reset.yaml", MYNUMBER + "password-policy: {reset-by-email: true}\n");
		assertThatThrownBy(() -> this.loader.load(file))
			.hasMessageContaining("rule 'no-password-reset-by-email'")
			.hasMessageContaining("password-policy.reset-by-email is true");
	}

	@Test
	void loadWhenMyNumberClientAsksForImplicitOrPasswordGrantThenRefused() throws IOException {
		for (String grant : new String[] { "implicit", "password" }) {
			Path file = write(grant + ".yaml", MYNUMBER + """
					clients:
					  - {client-id: app, secret: a-long-secret-value, grant-types: [%s]}
					""".formatted(grant));
			assertThatThrownBy(() -> this.loader.load(file)).hasMessageContaining(file.toString())
				.hasMessageContaining("client 'app': grant type '" + grant + "' is not supported");
		}
	}

	@Test
	void loadWhenPublicClientWithoutPkceThenPkceIsRequiredAnyway() throws IOException {
		RealmDefinition realm = this.loader.load(write("pkce.yaml", MYNUMBER + """
				clients:
				  - {client-id: app, authentication-methods: [none], require-pkce: false, redirect-uris: ['https://app.example.test/cb']}
				"""));
		assertThat(realm.clients().get(0).requirePkce()).isTrue();
	}

	@Test
	void loadWhenLowerZoneRealmOptsIntoRulesThenOnlyThoseApply() throws IOException {
		String lower = """
				name: opted
				zone: internet
				display-name: {ja: 選択, en: Opted}
				login: {level: aal2, session-lifetime: 13h}
				tokens: {access-token-lifetime: 10m}
				policies: [%s]
				""";
		RealmDefinition realm = this.loader.load(write("opted.yaml", lower.formatted("sender-constrained-tokens, full-audit")));
		assertThat(realm.realm().policies()).containsExactlyInAnyOrder(RealmRule.SENDER_CONSTRAINED_TOKENS,
				RealmRule.FULL_AUDIT);
		assertThat(realm.realm().senderConstrainedTokens()).isTrue();
		Path sessions = write("sessions.yaml", lower.formatted("short-sessions"));
		assertThatThrownBy(() -> this.loader.load(sessions)).hasMessageContaining(sessions.toString())
			.hasMessageContaining("realm 'opted' (its policies) breaks rule 'short-sessions'")
			.hasMessageContaining("login.session-lifetime is PT13H");
		assertThat(this.loader.load(write("none.yaml", lower.replace("policies: [%s]\n", ""))).realm().policies())
			.isEmpty();
	}

	@Test
	void loadWhenUnknownPolicyThenKnownPoliciesListed() throws IOException {
		Path file = write("unknown.yaml", """
				name: opted
				zone: lgwan
				display-name: {ja: 選択, en: Opted}
				policies: [dpop-everywhere]
				""");
		assertThatThrownBy(() -> this.loader.load(file)).hasMessageContaining("unknown policy 'dpop-everywhere'")
			.hasMessageContaining("sender-constrained-tokens")
			.hasMessageContaining("full-audit");
	}

	@Test
	void readmeListsEveryRealmRuleWithItsDescription() throws IOException {
		String readme = Files.readString(Path.of("README.md"));
		for (RealmRule rule : RealmRule.values()) {
			assertThat(readme).as(rule.id()).contains("| `" + rule.id() + "` | " + rule.description() + " |");
		}
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
				"""))).hasMessageContaining("realm 'mn' (zone mynumber")
			.hasMessageContaining("no self-registration")
			.hasMessageContaining("registration.enabled is true");
	}

	@Test
	void loadWhenProfileAbsentThenDefaultsFollowRegistration() throws IOException {
		RealmDefinition staff = this.loader.load(write("staff.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				"""));
		assertThat(staff.realm().profile().editable()).containsExactly(ProfilePolicy.ProfileField.PHONE);
		RealmDefinition citizens = this.loader.load(write("citizens.yaml", """
				name: r2
				zone: internet
				display-name: {ja: 試験, en: Test}
				registration: {enabled: true}
				"""));
		assertThat(citizens.realm().profile().editable()).containsExactlyInAnyOrder(ProfilePolicy.ProfileField.values());
	}

	@Test
	void loadWhenProfileEditableGivenThenReadAndUnknownFieldNamed() throws IOException {
		RealmDefinition realm = this.loader.load(write("r.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				profile: {editable: [kana, phone]}
				"""));
		assertThat(realm.realm().profile().editable()).containsExactlyInAnyOrder(ProfilePolicy.ProfileField.KANA,
				ProfilePolicy.ProfileField.PHONE);
		Path nothing = write("nothing.yaml", """
				name: r3
				zone: internet
				display-name: {ja: 試験, en: Test}
				registration: {enabled: true}
				profile: {editable: []}
				""");
		assertThat(this.loader.load(nothing).realm().profile().editable()).isEmpty();
		Path bad = write("bad.yaml", """
				name: r1
				zone: internet
				display-name: {ja: 試験, en: Test}
				profile:
				  editable: [address]
				""");
		assertThatThrownBy(() -> this.loader.load(bad)).hasMessageContaining("line 5")
			.hasMessageContaining("names, kana, romanised, phone or email");
	}

}
