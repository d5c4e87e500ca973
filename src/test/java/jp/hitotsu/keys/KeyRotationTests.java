package jp.hitotsu.keys;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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
	void rotateWhenTokensIssuedBeforeThenNewKeysArePublishedFirstSignLaterAndOldTokensStillVerify()
			throws Exception {
		OidcClient portal = client("citizen", "portal", "portal-secret-0123456789");
		String before = accessToken(portal);
		String kidBefore = SignedJWT.parse(before).getHeader().getKeyID();

		SigningKeyService.Rotation rotation = this.keys.rotate("citizen", Duration.ofSeconds(3));

		JWKSet published = JWKSet.load(portal.provider().getJWKSetURI().toURL());
		assertThat(published.getKeys()).extracting(JWK::getKeyID).contains(kidBefore).containsAll(rotation.kids());
		assertThat(portal.verifyAccessToken(before).getSubject()).isEqualTo("portal");

		// until the activation time the old key signs, from then on the new one
		String signedBy;
		do {
			Instant asked = Instant.now();
			String token = accessToken(portal);
			signedBy = SignedJWT.parse(token).getHeader().getKeyID();
			if (Instant.now().isBefore(rotation.activatesAt())) {
				assertThat(signedBy).as("signed before the activation time").isEqualTo(kidBefore);
			}
			else if (asked.isAfter(rotation.activatesAt().plusMillis(500))) {
				assertThat(signedBy).as("signed after the activation time").isIn(rotation.kids());
			}
			assertThat(portal.verifyAccessToken(token).getSubject()).isEqualTo("portal");
			Thread.sleep(100);
		}
		while (!rotation.kids().contains(signedBy));
		assertThat(Instant.now()).isAfterOrEqualTo(rotation.activatesAt());
		assertThat(this.jdbc.sql("select status from signing_key where kid = :kid")
			.param("kid", kidBefore)
			.query(String.class)
			.single()).as("recorded as retired once the new key took over").isEqualTo("RETIRED");
		assertThat(JWKSet.load(portal.provider().getJWKSetURI().toURL()).getKeys()).extracting(JWK::getKeyID)
			.as("the retired key stays published").contains(kidBefore);
	}

	@Test
	void rotateWithoutDelayThenTheNewKeysSignAtOnce() throws Exception {
		OidcClient batch = client("staff", "batch", "batch-secret-0123456789");
		SigningKeyService.Rotation rotation = this.keys.rotate("staff", Duration.ZERO);

		String token = batch.token(new ClientCredentialsGrant(), new Scope("reports.read"))
			.toSuccessResponse()
			.getTokens()
			.getAccessToken()
			.getValue();
		assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isIn(rotation.kids());
		assertThat(this.jdbc.sql("select count(*) from signing_key where realm = 'staff' and status = 'ACTIVE'")
			.query(Integer.class)
			.single()).isEqualTo(2);
	}

	@Test
	void rotateThroughTheAdminApiThenTheNewKeysArePublishedAtOnceAndTheChangeAudited() {
		AdminApi admin = new AdminApi(this);
		String helpdesk = admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		AdminApi.assertProblem(admin.post("/admin/api/realms/throttled/keys/rotation", helpdesk), 403,
				"urn:hitotsu:problem:forbidden");
		String superAdmin = admin.token("lockout-super", "lockout-super-test-pass");
		AdminApi.assertProblem(admin.post("/admin/api/realms/no-such-realm/keys/rotation", superAdmin), 404,
				"urn:hitotsu:problem:unknown-realm");

		HttpResponse<String> rotated = admin.post("/admin/api/realms/throttled/keys/rotation", superAdmin);
		assertThat(rotated.statusCode()).as(rotated::body).isEqualTo(200);
		JsonNode rotation = AdminApi.json(rotated);
		assertThat(rotation.get("kids")).hasSize(2);
		assertThat(Instant.parse(rotation.get("activatesAt").asString())).isAfter(Instant.now());
		String jwks = browser().get(uri("/realms/throttled/oauth2/jwks")).body();
		rotation.get("kids").forEach((kid) -> assertThat(jwks).contains(kid.asString()));

		// the key list shows the new keys first, waiting to sign, and never a private part
		HttpResponse<String> listed = admin.get("/admin/api/realms/throttled/keys", superAdmin);
		assertThat(listed.body()).doesNotContain("\"d\"").doesNotContain("private");
		JsonNode keys = AdminApi.json(listed);
		assertThat(List.of(keys.get(0).get("kid").asString(), keys.get(1).get("kid").asString()))
			.containsExactlyInAnyOrder(rotation.get("kids").get(0).asString(), rotation.get("kids").get(1).asString());
		assertThat(keys.get(0).get("status").asString()).isEqualTo("PUBLISHED");
		assertThat(keys.get(0).get("activatesAt").asString()).isEqualTo(rotation.get("activatesAt").asString());
		assertThat(keys).anySatisfy((key) -> {
			assertThat(key.get("status").asString()).isEqualTo("ACTIVE");
			assertThat(key.get("published").asBoolean()).isTrue();
		});
		AdminApi.assertProblem(admin.get("/admin/api/realms/throttled/keys", helpdesk), 403,
				"urn:hitotsu:problem:forbidden");
		assertThat(this.jdbc.sql("""
				select count(*) from audit_event where realm = 'throttled' and type = 'ADMIN_CHANGE'
				and details ->> 'action' = 'rotate-keys' and details ->> 'kids' like :kid
				""").param("kid", "%" + rotation.get("kids").get(0).asString() + "%").query(Integer.class).single())
			.isEqualTo(1);
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
