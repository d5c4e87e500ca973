package jp.hitotsu.oidc;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Refresh tokens rotate; a replayed one revokes its whole family. */
class RefreshTokenTests extends ServerTest {

	private OidcClient webApp() {
		return client("staff", "web-app", "web-app-secret-0123456789");
	}

	private OIDCTokenResponse login(OidcClient client) {
		OidcClient.Authorization authorization = client.authorization(URI.create("https://app.example.test/callback"),
				"openid profile");
		return client.exchange(browser().authorize(authorization.uri(), "tanaka", "tanaka-test-pass"), authorization);
	}

	@Test
	void refreshWhenValidThenNewTokensAndRotatedRefreshToken() throws Exception {
		OidcClient client = webApp();
		Tokens first = login(client).getOIDCTokens();
		TokenResponse refreshed = client.refresh(first.getRefreshToken());
		assertThat(refreshed.indicatesSuccess()).isTrue();
		Tokens second = refreshed.toSuccessResponse().getTokens();
		assertThat(second.getRefreshToken()).isNotEqualTo(first.getRefreshToken());
		assertThat(client.verifyAccessToken(second.getAccessToken().getValue()).getStringClaim("client_id"))
			.isEqualTo("web-app");
		// and the new one works in turn
		assertThat(client.refresh(second.getRefreshToken()).indicatesSuccess()).isTrue();
	}

	@Test
	void refreshWhenRotatedTokenReusedThenRefusedAndWholeFamilyRevoked() {
		OidcClient client = webApp();
		Tokens first = login(client).getOIDCTokens();
		Tokens second = client.refresh(first.getRefreshToken()).toSuccessResponse().getTokens();

		TokenResponse replay = client.refresh(first.getRefreshToken());
		assertThat(replay.indicatesSuccess()).isFalse();
		assertThat(replay.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");

		// the thief's replay also ends the legitimate holder's grant
		TokenResponse current = client.refresh(second.getRefreshToken());
		assertThat(current.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
		assertThat(client.introspect(second.getAccessToken()).toSuccessResponse().isActive()).isFalse();
	}

	@Test
	void refreshWhenUsedConcurrentlyThenExactlyOneSucceeds() throws Exception {
		OidcClient client = webApp();
		RefreshToken refreshToken = login(client).getOIDCTokens().getRefreshToken();
		int attempts = 4;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(attempts);
		try {
			List<Future<TokenResponse>> results = new ArrayList<>();
			for (int i = 0; i < attempts; i++) {
				Callable<TokenResponse> attempt = () -> {
					start.await();
					return client.refresh(refreshToken);
				};
				results.add(pool.submit(attempt));
			}
			start.countDown();
			int successes = 0;
			for (Future<TokenResponse> result : results) {
				TokenResponse response = result.get();
				if (response.indicatesSuccess()) {
					successes++;
				}
				else {
					assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
				}
			}
			assertThat(successes).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void refreshWhenTokenOfAnotherClientThenInvalidGrant() {
		Tokens tokens = login(webApp()).getOIDCTokens();
		OidcClient other = client("staff", "batch", "batch-secret-0123456789");
		TokenResponse response = other.refresh(tokens.getRefreshToken());
		assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
	}

	@Test
	void refreshWhenGarbageThenInvalidGrant() {
		TokenResponse response = webApp().refresh(new RefreshToken("not-a-refresh-token"));
		assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
		assertThat(response.toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(400);
	}

}
