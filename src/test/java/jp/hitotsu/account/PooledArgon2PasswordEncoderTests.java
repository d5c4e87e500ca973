package jp.hitotsu.account;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pooled encoder is interchangeable with Spring Security's Argon2PasswordEncoder: every
 * hash stored so far still verifies, and what it stores Spring's encoder verifies too, also
 * when a thread's pooled blocks are reused from one hash to the next.
 */
class PooledArgon2PasswordEncoderTests {

	private final PooledArgon2PasswordEncoder pooled = new PooledArgon2PasswordEncoder(16, 32, 1, 2048, 2);

	private final Argon2PasswordEncoder spring = new Argon2PasswordEncoder(16, 32, 1, 2048, 2);

	@Test
	void hashesOfSpringsEncoderVerifyAgainAndAgainOnOneThread() {
		String stored = this.spring.encode("ひとつのパスワード");
		for (int i = 0; i < 3; i++) {
			assertThat(this.pooled.matches("ひとつのパスワード", stored)).isTrue();
			assertThat(this.pooled.matches("ひとつのパスワーF", stored)).isFalse();
		}
	}

	@Test
	void itsHashesVerifyWithSpringsEncoderInTheSameFormat() {
		String first = this.pooled.encode("correct horse");
		String second = this.pooled.encode("correct horse");
		assertThat(first).startsWith("$argon2id$v=19$m=2048,t=2,p=1$").doesNotEndWith("=").isNotEqualTo(second);
		assertThat(this.spring.matches("correct horse", first)).isTrue();
		assertThat(this.spring.matches("correct horse", second)).isTrue();
		assertThat(this.spring.matches("correct horsf", second)).isFalse();
	}

	@Test
	void hashesOfOtherParametersVerifyAndWeakerOnesAskForAnUpgrade() {
		String stronger = new Argon2PasswordEncoder(16, 64, 2, 4096, 3).encode("pw-1");
		String weaker = new Argon2PasswordEncoder(16, 32, 1, 1024, 1).encode("pw-2");
		assertThat(this.pooled.matches("pw-1", stronger)).isTrue();
		assertThat(this.pooled.matches("pw-2", weaker)).isTrue();
		assertThat(this.pooled.matches("pw-1", this.spring.encode("pw-1"))).isTrue();
		assertThat(this.pooled.upgradeEncoding(stronger)).isFalse();
		assertThat(this.pooled.upgradeEncoding(weaker)).isTrue();
		assertThat(this.pooled.upgradeEncoding(this.pooled.encode("pw-3"))).isFalse();
	}

	@Test
	void theHashOfTheReferenceImplementationsReadmeVerifies() {
		// phc-winner-argon2's README: echo -n "password" | ./argon2 somesalt -t 2 -m 16 -p 4 -l 24
		String reference = "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
		assertThat(this.pooled.matches("password", reference)).isTrue();
		assertThat(this.pooled.matches("passwore", reference)).isFalse();
	}

	@Test
	void aMalformedStoredHashIsNoMatchRatherThanAnError() {
		assertThat(this.pooled.matches("pw", "$argon2id$v=19$m=x,t=2,p=1$c2FsdA$aGFzaA")).isFalse();
		assertThat(this.pooled.matches("pw", "$argon2id$v=19$m=2048,t=2$c2FsdA$aGFzaA")).isFalse();
		assertThat(this.pooled.matches("pw", "$scrypt$v=19$m=2048,t=2,p=1$c2FsdA$aGFzaA")).isFalse();
		assertThat(this.pooled.matches("pw", "$argon2id$v=19$m=2048,t=2,p=1$c2FsdA")).isFalse();
		assertThat(this.pooled.matches("pw", "$argon2id$v=19$m=2048,t=2,p=1$!!$aGFzaA")).isFalse();
		assertThat(this.pooled.matches("pw", "$argon2id$v=19$m=2048,t=2,p=0$c2FsdA$aGFzaA")).isFalse();
		assertThat(this.pooled.matches("pw", "$argon2id$v=19$m=2048,t=0,p=1$c2FsdA$aGFzaA")).isFalse();
		assertThat(this.pooled.matches("pw", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA")).isFalse();
	}

}
