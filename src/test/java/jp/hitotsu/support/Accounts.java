package jp.hitotsu.support;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Looks up test accounts the way an administrator's tool would find them: by username. */
public final class Accounts {

	private Accounts() {
	}

	/** The opaque id ({@code sub}) of a test account. */
	public static String subjectOf(JdbcClient jdbc, String realm, String username) {
		return jdbc.sql("select id::text from account where realm = :realm and username = :username")
			.param("realm", realm)
			.param("username", username)
			.query(String.class)
			.single();
	}

}
