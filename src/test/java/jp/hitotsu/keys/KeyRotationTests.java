package jp.hitotsu.keys;

import java.net.http.HttpResponse;
import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Key rotation: new tokens use new keys; tokens signed before keep verifying. */
class KeyRotationTests extends ServerTest {

	@Autowired
	SigningKeyService keys;

	@Autowired
	JdbcClient jdbc;

	@Test
	void rotateWhenTokensIssuedBeforeThenTheyStillVerifyAndNewOnesUseTheNewKey() throws Exception {
		OidcClient portal = client("citizen", "portal", "portal-secret-0123456789");
		String before = accessToken(portal);
		String kidBefore = SignedJWT.parse(before).getHeader().getKeyID();

		List<String> newKids = this.keys.rotate("citizen");

		JWKSet published = JWKSet.load(portal.provider().getJWKSetURI().toURL());
		assertThat(published.getKeys()).extracting(JWK::getKeyID).contains(kidBefore).containsAll(newKids);
		assertThat(portal.verifyAccessToken(before).getSubject()).isEqualTo("portal");

		String after = accessToken(portal);
		assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isIn(newKids).isNotEqualTo(kidBefore);
		assertThat(portal.verifyAccessToken(after).getSubject()).isEqualTo("portal");
	}

	@Test
	void privateKeysAreStoredOnlyEncrypted() {
		List<String> stored = this.jdbc.sql("select private_jwk_encrypted from signing_key").query(String.class).list();
		assertThat(stored).isNotEmpty().allSatisfy((value) -> {
			assertThat(value.split("\\.")).hasSize(5);
			assertThat(value).doesNotContain("\"d\"");
		});
	}

	@Test
	void jwksEndpointServesOnlyPublicKeys() {
		HttpResponse<String> jwks = browser().get(uri("/realms/staff/oauth2/jwks"));
		assertThat(jwks.body()).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"q\"");
	}

	private static String accessToken(OidcClient client) {
		return client.token(new ClientCredentialsGrant(), new Scope("openid"))
			.toSuccessResponse()
			.getTokens()
			.getAccessToken()
			.getValue();
	}

}
