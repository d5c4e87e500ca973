package jp.hitotsu.oidc;

import java.net.URI;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** How grants are stored: what is written, how it is found, and when it goes. */
class GrantStorageTests extends ServerTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ExpiredGrantPurge purge;

	private int storedGrants() {
		return this.jdbc.sql("select count(*) from oauth_authorization").query(Integer.class).single();
	}

	@Test
	void clientCredentialsWhenIssuedThenNothingWrittenYetIntrospectable() {
		OidcClient batch = client("staff", "batch", "batch-secret-0123456789");
		int before = storedGrants();
		AccessToken token = batch.token(new ClientCredentialsGrant(), new Scope("reports.read"))
			.toSuccessResponse()
			.getTokens()
			.getAccessToken();
		assertThat(storedGrants()).isEqualTo(before);
		assertThat(batch.introspect(token).toSuccessResponse().isActive()).isTrue();
	}

	@Test
	void tokensAreStoredOnlyAsHashes() {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization authorization = webApp.authorization(URI.create("https://app.example.test/callback"),
				"openid");
		Tokens tokens = webApp.exchange(browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"),
				authorization)
			.getOIDCTokens();
		assertThat(this.jdbc.sql("select count(*) from oauth_token where token_hash = :hash")
			.param("hash", sha256(tokens.getRefreshToken().getValue()))
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void purgeWhenGrantsExpiredThenOnlyThoseRemoved() {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		OidcClient.Authorization first = webApp.authorization(URI.create("https://app.example.test/callback"), "openid");
		Tokens expiring = webApp.exchange(browser().authorize(first.uri(), "tanaka", "tanaka-test-pass"), first)
			.getOIDCTokens();
		OidcClient.Authorization second = webApp.authorization(URI.create("https://app.example.test/callback"), "openid");
		Tokens current = webApp.exchange(browser().authorize(second.uri(), "suzuki", "suzuki-test-pass"), second)
			.getOIDCTokens();
		String expiredId = grantOf(expiring.getRefreshToken().getValue());
		// age one grant past its end; the purge must leave the other alone
		this.jdbc.sql("update oauth_authorization set expires_at = :past where id = :id")
			.param("past", Timestamp.from(Instant.now().minusSeconds(60)))
			.param("id", expiredId)
			.update();

		assertThat(this.purge.purge()).isGreaterThanOrEqualTo(1);

		assertThat(this.jdbc.sql("select count(*) from oauth_authorization where id = :id")
			.param("id", expiredId)
			.query(Integer.class)
			.single()).isZero();
		assertThat(webApp.refresh(current.getRefreshToken()).indicatesSuccess()).isTrue();
	}

	private String grantOf(String token) {
		return this.jdbc.sql("select authorization_id from oauth_token where token_hash = :hash")
			.param("hash", sha256(token))
			.query(String.class)
			.single();
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
