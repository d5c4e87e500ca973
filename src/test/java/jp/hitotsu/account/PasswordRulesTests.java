package jp.hitotsu.account;

import java.time.Duration;

import jp.hitotsu.realm.PasswordPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The realm's policy applied to chosen passwords; no server needed. */
class PasswordRulesTests {

	private static final PasswordPolicy POLICY = new PasswordPolicy(15, 64, true, false, Duration.ofMinutes(30));

	private final PasswordRules rules = new PasswordRules();

	@Test
	void commonListWhenLoadedThenHoldsTheWholeZxcvbnList() {
		assertThat(this.rules.commonPasswordCount()).isEqualTo(30_000);
	}

	@Test
	void checkWhenCommonInAnyCaseOrWidthThenRefused() {
		assertThat(this.rules.check(POLICY, "123456789987654321")).contains(PasswordRejection.COMMON);
		assertThat(this.rules.check(POLICY, "MomSanalAdventure")).contains(PasswordRejection.COMMON);
		assertThat(this.rules.check(POLICY, "ｍｏｍｓａｎａｌａｄｖｅｎｔｕｒｅ")).contains(PasswordRejection.COMMON);
		PasswordPolicy lenient = new PasswordPolicy(15, 64, false, false, Duration.ofMinutes(30));
		assertThat(this.rules.check(lenient, "momsanaladventure")).isEmpty();
	}

	@Test
	void checkWhenLengthCountedThenCodePointsOfTheNfkcForm() {
		// 14 emoji are 28 UTF-16 units but 14 characters
		assertThat(this.rules.check(POLICY, "😀".repeat(14))).contains(PasswordRejection.TOO_SHORT);
		assertThat(this.rules.check(POLICY, "😀".repeat(15))).isEmpty();
		// half-width "ｶﾞ" is two code points, its NFKC form "ガ" one
		assertThat(this.rules.check(POLICY, "ｶﾞ".repeat(14))).contains(PasswordRejection.TOO_SHORT);
		assertThat(this.rules.check(POLICY, "ひらがなとカタカナと漢字の合言葉")).isEmpty();
		assertThat(this.rules.check(POLICY, "x".repeat(64))).isEmpty();
		assertThat(this.rules.check(POLICY, "x".repeat(65))).contains(PasswordRejection.TOO_LONG);
		assertThat(this.rules.check(POLICY, "😀".repeat(600))).contains(PasswordRejection.TOO_LONG);
	}

	@Test
	void checkWhenSpacesAndSymbolsOnlyThenNoCompositionRule() {
		assertThat(this.rules.check(POLICY, "correct horse battery staple")).isEmpty();
		assertThat(this.rules.check(POLICY, "                ")).isEmpty();
	}

	@Test
	void temporaryPasswordsWhenGeneratedThenLongRandomAndReadable() {
		String first = TemporaryPasswords.generate();
		assertThat(first).matches("[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){3}");
		assertThat(TemporaryPasswords.generate()).isNotEqualTo(first);
	}

}
