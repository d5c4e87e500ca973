package jp.hitotsu.account;

import java.net.URI;
import java.util.Map;

import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

import static jp.hitotsu.support.Browserless.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts brought over with hashes of older algorithms or weaker parameters log in, and
 * their hash is Argon2id at the configured parameters afterwards.
 */
class PasswordUpgradeTests extends ServerTest {

	@Autowired
	private JdbcClient jdbc;

	@ParameterizedTest
	@CsvSource({ "legacy-bcrypt, bcrypt", "legacy-pbkdf2, pbkdf2", "legacy-argon2, weak-argon2" })
	void olderHashIsReplacedByArgon2idAtTheNextLogin(String username, String algorithm) {
		String password = username + "-test-pass";
		String legacyHash = switch (algorithm) {
			case "bcrypt" -> "{bcrypt}" + new BCryptPasswordEncoder(4).encode(password);
			case "pbkdf2" -> "{pbkdf2@SpringSecurity_v5_8}"
					+ Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode(password);
			default -> "{argon2}" + new Argon2PasswordEncoder(16, 32, 1, 1024, 1).encode(password);
		};
		this.jdbc.sql("update account set password_hash = :hash where realm = 'staff' and username = :username")
			.param("hash", legacyHash)
			.param("username", username)
			.update();

		Browserless browser = browser();
		URI loginPage = uri("/realms/staff/login");
		assertThat(browser.submitLogin(loginPage, username, "wrong-password").statusCode()).isEqualTo(401);
		assertThat(storedHash(username)).isEqualTo(legacyHash);
		var loggedIn = browser.submitLogin(loginPage, username, password);
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		assertThat(location(loggedIn).getPath()).isEqualTo("/realms/staff/login");

		assertThat(storedHash(username)).startsWith("{argon2}$argon2id$v=19$m=7168,t=5,p=1$");
		assertThat(browser().submitLogin(loginPage, username, password).statusCode()).isEqualTo(302);
	}

	private String storedHash(String username) {
		return this.jdbc.sql("select password_hash from account where realm = 'staff' and username = :username")
			.params(Map.of("username", username))
			.query(String.class)
			.single();
	}

}
