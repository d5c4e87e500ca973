package jp.hitotsu.oidc;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
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
		Tokens tokens = logIn(webApp, "tanaka", "tanaka-test-pass");
		assertThat(this.jdbc.sql("select count(*) from oauth_token where token_hash = :hash")
			.param("hash", sha256(tokens.getRefreshToken().getValue()))
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void purgeWhenGrantsExpiredThenOnlyThoseRemoved() {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		Tokens expiring = logIn(webApp, "tanaka", "tanaka-test-pass");
		Tokens current = logIn(webApp, "suzuki", "suzuki-test-pass");
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

	@Test
	void refreshWhenGrantUnchangedThenOnlyItsTokensAreRewritten() {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		Tokens issued = logIn(webApp, "tanaka", "tanaka-test-pass");
		String grant = grantOf(issued.getRefreshToken().getValue());
		// a byte after the serialised grant, which reading ignores: a data written again
		// would not have it
		this.jdbc.sql("update oauth_authorization set data = data || '\\x00'::bytea where id = :id")
			.param("id", grant)
			.update();
		StoredGrant before = stored(grant);

		Tokens refreshed = webApp.refresh(issued.getRefreshToken()).toSuccessResponse().getTokens();

		StoredGrant after = stored(grant);
		assertThat(after.version()).isEqualTo(before.version() + 1);
		assertThat(after.data()).isEqualTo(before.data());
		assertThat(after.tokens()).isNotEqualTo(before.tokens());
		// what was kept and what was rewritten make the grant again: its new tokens work, the
		// replaced access token no longer does, and the replaced refresh token is known as
		// rotated (presenting it revokes the grant)
		assertThat(webApp.introspect(refreshed.getAccessToken()).toSuccessResponse().isActive()).isTrue();
		assertThat(webApp.introspect(issued.getAccessToken()).toSuccessResponse().isActive()).isFalse();
		assertThat(webApp.refresh(refreshed.getRefreshToken()).indicatesSuccess()).isTrue();
		assertThat(webApp.refresh(issued.getRefreshToken()).indicatesSuccess()).isFalse();
	}

	@Test
	void grantStoredWholeBeforeTokensWereStoredApartStillRefreshes() throws Exception {
		OidcClient webApp = client("staff", "web-app", "web-app-secret-0123456789");
		Tokens issued = logIn(webApp, "suzuki", "suzuki-test-pass");
		String grant = grantOf(issued.getRefreshToken().getValue());
		StoredGrant current = stored(grant);
		// the row as V190 found it: the whole grant in data, no tokens; a new version, so that
		// no instance serves it from memory
		ByteArrayOutputStream whole = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(whole)) {
			out.writeObject(PostgresAuthorizationService.decode(current.data(), current.tokens(), current.version()));
		}
		this.jdbc.sql("update oauth_authorization set data = :data, tokens = null, version = version + 1 where id = :id")
			.param("data", whole.toByteArray())
			.param("id", grant)
			.update();

		Tokens refreshed = webApp.refresh(issued.getRefreshToken()).toSuccessResponse().getTokens();

		StoredGrant after = stored(grant);
		assertThat(after.tokens()).isNotNull();
		assertThat(after.data()).isNotEqualTo(whole.toByteArray());
		assertThat(webApp.refresh(refreshed.getRefreshToken()).indicatesSuccess()).isTrue();
	}

	private StoredGrant stored(String grant) {
		return this.jdbc.sql("select data, tokens, version from oauth_authorization where id = :id")
			.param("id", grant)
			.query((rs, row) -> new StoredGrant(rs.getBytes("data"), rs.getBytes("tokens"), rs.getInt("version")))
			.single();
	}

	private record StoredGrant(byte[] data, byte[] tokens, int version) {
	}

	/** Tokens of a code exchange after the person logged in to {@code web-app}. */
	private Tokens logIn(OidcClient webApp, String username, String password) {
		OidcClient.Authorization authorization = webApp.authorization(URI.create("https://app.example.test/callback"),
				"openid");
		return webApp.exchange(browser().authorize(authorization.uri(), username, password), authorization)
			.getOIDCTokens();
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
