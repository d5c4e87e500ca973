package jp.hitotsu.oidc;

import java.net.http.HttpResponse;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client learns from discovery is true and under the realm's issuer. */
class DiscoveryTests extends ServerTest {

	@Test
	void discoveryWhenRealmThenEveryEndpointUnderItsIssuer() {
		OIDCProviderMetadata metadata = discover("staff");
		String issuer = base() + "/realms/staff";
		assertThat(metadata.getIssuer().getValue()).isEqualTo(issuer);
		assertThat(metadata.getAuthorizationEndpointURI().toString()).startsWith(issuer + "/");
		assertThat(metadata.getTokenEndpointURI().toString()).startsWith(issuer + "/");
		assertThat(metadata.getJWKSetURI().toString()).startsWith(issuer + "/");
		assertThat(metadata.getUserInfoEndpointURI().toString()).startsWith(issuer + "/");
		assertThat(metadata.getIntrospectionEndpointURI().toString()).startsWith(issuer + "/");
		assertThat(metadata.getRevocationEndpointURI().toString()).startsWith(issuer + "/");
		assertThat(metadata.getEndSessionEndpointURI().toString()).startsWith(issuer + "/");
		assertThat(metadata.getPushedAuthorizationRequestEndpointURI().toString()).startsWith(issuer + "/");
		assertThat(metadata.getDeviceAuthorizationEndpointURI().toString()).startsWith(issuer + "/");
		assertThat(metadata.getTokenEndpointAuthMethods()).extracting(Object::toString)
			.containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
		assertThat(metadata.getGrantTypes()).extracting(Object::toString)
			.containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials",
					"urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:device_code");
		assertThat(metadata.getCodeChallengeMethods()).extracting(Object::toString).containsExactly("S256");
		assertThat(metadata.getIDTokenJWSAlgs()).extracting(Object::toString).containsExactlyInAnyOrder("RS256", "ES256");
		assertThat(metadata.getACRs()).extracting(Object::toString).contains("urn:hitotsu:aal1");
	}

	@Test
	void discoveryWhenAClientMayReceiveVerifiedClaimsThenIdentityAssuranceAdvertised() throws Exception {
		assertThat(discover("provisioned").supportsVerifiedClaims()).isFalse();
		AdminApi admin = new AdminApi(this);
		String token = admin.token("person-admin", "person-admin-test-pass-0001");
		String path = "/admin/api/realms/provisioned/clients";
		String clientId = "verified-" + UUID.randomUUID();
		HttpResponse<String> created = admin.postJson(path, token, """
				{"clientId": "%s", "grantTypes": ["authorization_code"], "redirectUris": ["https://ida.example.test/cb"],
				 "scopes": ["openid", "profile"], "verifiedClaims": true}""".formatted(clientId));
		assertThat(created.statusCode()).as(created::body).isEqualTo(201);
		try {
			// OpenID Connect for Identity Assurance 1.0, read as a client reads it: what verified_claims contain
			OIDCProviderMetadata metadata = discover("provisioned");
			assertThat(metadata.supportsVerifiedClaims()).isTrue();
			assertThat(metadata.getIdentityTrustFrameworks()).extracting(Object::toString).containsExactly("nist_800_63A");
			assertThat(metadata.getIdentityEvidenceTypes()).extracting(Object::toString)
				.containsExactly("electronic_record");
			assertThat(metadata.getVerifiedClaims()).containsExactly("family_name", "given_name", "name");
			assertThat(browser().get(uri("/.well-known/oauth-authorization-server/realms/provisioned")).body())
				.contains("\"verified_claims_supported\":true");
			assertThat(discover("staff").supportsVerifiedClaims()).as("only the realm with such a client").isFalse();
		}
		finally {
			assertThat(admin.delete(path + "/" + clientId, token).statusCode()).isEqualTo(204);
		}
		assertThat(discover("provisioned").supportsVerifiedClaims()).as("gone with the client").isFalse();
	}

	@Test
	void oauthMetadataWhenRealmThenSameIssuer() throws Exception {
		HttpResponse<String> response = browser().get(uri("/.well-known/oauth-authorization-server/realms/citizen"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"issuer\":\"" + base() + "/realms/citizen\"");
	}

	@Test
	void jwksWhenRealmThenOneRs256AndOneEs256PublicKeyOfItsOwn() throws Exception {
		JWKSet staff = JWKSet.load(discover("staff").getJWKSetURI().toURL());
		JWKSet citizen = JWKSet.load(discover("citizen").getJWKSetURI().toURL());
		assertThat(staff.getKeys()).extracting((JWK key) -> key.getAlgorithm().getName())
			.containsExactlyInAnyOrder("RS256", "ES256");
		assertThat(staff.getKeys()).noneMatch(JWK::isPrivate);
		assertThat(staff.getKeys()).extracting(JWK::getKeyID)
			.doesNotContainAnyElementsOf(citizen.getKeys().stream().map(JWK::getKeyID).toList());
	}

}
