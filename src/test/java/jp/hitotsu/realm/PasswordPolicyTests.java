package jp.hitotsu.realm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The password-policy block of a realm file: defaults by login level, and its errors. */
class PasswordPolicyTests {

	@TempDir
	Path directory;

	private final RealmDefinitionLoader loader = new RealmDefinitionLoader();

	private Realm load(String zone, String extra) throws IOException {
		return this.loader.load(Files.writeString(this.directory.resolve("r.yaml"), """
				name: r1
				zone: %s
				display-name: {ja: 試験, en: Test}
				%s
				""".formatted(zone, extra))).realm();
	}

	@Test
	void loadWhenNoPolicyThenNistDefaultsByLevel() throws IOException {
		PasswordPolicy single = load("internet", "").passwordPolicy();
		assertThat(single).isEqualTo(new PasswordPolicy(15, 128, true, false, Duration.ofMinutes(30)));
		PasswordPolicy multi = load("internet", "login: {level: aal2}").passwordPolicy();
		assertThat(multi.minLength()).isEqualTo(8);
	}

	@Test
	void loadWhenPolicyWrittenThenRead() throws IOException {
		PasswordPolicy policy = load("internet", """
				password-policy:
				  min-length: 20
				  max-length: 64
				  reject-common: false
				  reset-by-email: true
				  reset-link-lifetime: 10m
				""").passwordPolicy();
		assertThat(policy).isEqualTo(new PasswordPolicy(20, 64, false, true, Duration.ofMinutes(10)));
	}

	@Test
	void loadWhenMinimumBelowNistThenFieldAndRuleNamed() {
		assertThatThrownBy(() -> load("internet", "password-policy: {min-length: 12}"))
			.isInstanceOf(RealmDefinitionException.class)
			.hasMessageContaining("password-policy.min-length is 12, below the 15")
			.hasMessageContaining("login.level aal1");
		assertThatThrownBy(() -> load("internet", "login: {level: aal2}\npassword-policy: {min-length: 6}"))
			.hasMessageContaining("password-policy.min-length is 6, below the 8");
	}

	@Test
	void loadWhenLimitsOrLifetimeOutOfRangeThenFieldNamed() {
		assertThatThrownBy(() -> load("internet", "password-policy: {max-length: 32}"))
			.hasMessageContaining("password-policy.max-length is 32; it must be between 64 and 256");
		assertThatThrownBy(() -> load("internet", "password-policy: {min-length: 100, max-length: 64}"))
			.hasMessageContaining("password-policy.min-length is 100");
		assertThatThrownBy(() -> load("internet", "password-policy: {reset-link-lifetime: 0s}"))
			.hasMessageContaining("password-policy.reset-link-lifetime");
		assertThatThrownBy(() -> load("internet", "password-policy: {reset-link-lifetime: 3d}"))
			.hasMessageContaining("at most PT24H");
		assertThatThrownBy(() -> load("internet", "password-policy: {min-lenght: 20}"))
			.hasMessageContaining("unknown field 'min-lenght'");
	}

	@Test
	void loadWhenResetByEmailInMyNumberZoneThenRefused() {
		assertThatThrownBy(() -> load("mynumber", """
				login: {level: aal3, session-lifetime: 12h, session-idle-timeout: 15m}
				password-policy: {reset-by-email: true}
				""")).hasMessageContaining("rule 'no-password-reset-by-email'")
			.hasMessageContaining("password-policy.reset-by-email is true");
	}

}
