package jp.hitotsu.process;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import jp.hitotsu.support.DPoPKeys;
import jp.hitotsu.support.OidcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two zones side by side on one machine, as the README starts them: the packaged jar
 * once for the internet zone and once with {@code --hitotsu.zone=mynumber}, on two ports
 * and one data directory (each zone keeps its database and master key in its own
 * sub-directory). The My Number process starts (its guard finds no outbound HTTP client),
 * serves only its zone's realm, and accepts only its own DPoP-bound tokens with fresh
 * proofs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MyNumberZoneIT {

	private static final String REALM = "mynumber";

	private Path dataDir;

	private ServerProcess internet;

	private ServerProcess mynumber;

	private final ECKey clientKey = DPoPKeys.newKey();

	private final DefaultDPoPProofFactory proofs = DPoPKeys.proofs(this.clientKey);

	@BeforeAll
	void startBothZones() throws IOException {
		this.dataDir = Files.createTempDirectory("hitotsu-mynumber-zone-it-");
		// one directory for both zones: each process serves the realms of its own zone
		List<String> shared = List.of("--hitotsu.data-dir=" + this.dataDir,
				"--hitotsu.realms-dir=" + ServerProcess.testRealms(this.dataDir, "staff", REALM));
		this.internet = ServerProcess.launch("zone-internet", ServerProcess.freePort(), shared);
		List<String> mynumberZone = new ArrayList<>(shared);
		mynumberZone.add("--hitotsu.zone=mynumber");
		this.mynumber = ServerProcess.launch("zone-mynumber", ServerProcess.freePort(), mynumberZone);
		this.internet.awaitReady(ServerProcess.START_TIMEOUT);
		this.mynumber.awaitReady(ServerProcess.START_TIMEOUT);
	}

	@AfterAll
	void stopBothZones() {
		try {
			for (ServerProcess server : new ServerProcess[] { this.internet, this.mynumber }) {
				if (server != null) {
					server.stop();
				}
			}
		}
		finally {
			ServerProcess.cleanUp(this.dataDir);
		}
	}

	@Test
	void eachZoneServesOnlyItsRealmsFromItsOwnDatabase() throws Exception {
		assertThat(this.mynumber.discover(REALM).getIssuer()).isEqualTo(this.mynumber.issuer(REALM));
		assertThat(get(this.mynumber.uri("/realms/staff/.well-known/openid-configuration")).getStatusCode())
			.isEqualTo(404);
		assertThat(get(this.internet.uri("/realms/mynumber/.well-known/openid-configuration")).getStatusCode())
			.isEqualTo(404);
		assertThat(this.dataDir.resolve("internet")).isDirectory();
		assertThat(this.dataDir.resolve("mynumber")).isDirectory();
		assertThat(this.mynumber.logText()).doesNotContain("Realm 'staff' loaded");
	}

	@Test
	void tokenRequestWithoutProofIsRefusedNamingTheRule() {
		TokenResponse response = batch().token(new ClientCredentialsGrant(), new Scope("openid"));
		ErrorObject error = response.toErrorResponse().getErrorObject();
		assertThat(error.getCode()).isEqualTo("invalid_dpop_proof");
		assertThat(error.getDescription()).contains("Realm mynumber").contains("sender-constrained-tokens");
	}

	@Test
	void boundTokenWorksOnlyWithAFreshProof() throws Exception {
		OidcClient batch = batch();
		AccessToken token = boundToken(batch);
		assertThat(token.getType()).isEqualTo(AccessTokenType.DPOP);

		HTTPResponse asBearer = batch.userInfo(new BearerAccessToken(token.getValue()), null);
		assertThat(asBearer.getStatusCode()).isEqualTo(401);
		HTTPResponse withoutProof = batch.userInfo(token, null);
		assertThat(withoutProof.getStatusCode()).isEqualTo(401);

		SignedJWT proof = batch.userInfoProof(this.proofs, token);
		HTTPResponse withProof = batch.userInfo(token, proof);
		assertThat(withProof.getStatusCode()).as(withProof::getBody).isEqualTo(200);
		assertThat(withProof.getBodyAsJSONObject().get("sub")).isEqualTo("mn-batch");

		HTTPResponse replayed = batch.userInfo(token, proof);
		assertThat(replayed.getStatusCode()).isEqualTo(401);
		assertThat(replayed.getHeaderValue("WWW-Authenticate")).contains("invalid_dpop_proof");

		TokenIntrospectionSuccessResponse introspection = batch.introspect(token).toSuccessResponse();
		assertThat(introspection.isActive()).isTrue();
		assertThat(introspection.getJWKThumbprintConfirmation()).isEqualTo(JWKThumbprintConfirmation.of(this.clientKey));
	}

	@Test
	void staffTokenIsRefusedByTheMyNumberZone() throws Exception {
		OidcClient staffBatch = new OidcClient(this.internet.discover("staff"), "batch", "batch-secret-0123456789");
		TokenResponse staff = staffBatch.token(new ClientCredentialsGrant(), new Scope("reports.read"), this.proofs);
		AccessToken staffToken = ((AccessTokenResponse) staff.toSuccessResponse()).getTokens().getAccessToken();
		OidcClient batch = batch();
		assertThat(batch.userInfo(new BearerAccessToken(staffToken.getValue()), null).getStatusCode()).isEqualTo(401);
		assertThat(batch.userInfo(staffToken, batch.userInfoProof(this.proofs, staffToken)).getStatusCode())
			.isEqualTo(401);
	}

	@Test
	void tokenSignedByAForeignKeyIsRefused() throws Exception {
		ECKey foreign = DPoPKeys.newKey();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.mynumber.issuer(REALM).getValue())
			.subject("mn-batch")
			.claim("client_id", "mn-batch")
			.claim("scope", List.of("openid"))
			.claim("cnf", Map.of("jkt", this.clientKey.computeThumbprint().toString()))
			.issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(300)))
			.build();
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
			.keyID(foreign.getKeyID())
			.build(), claims);
		forged.sign(new ECDSASigner(foreign));
		AccessToken token = new DPoPAccessToken(forged.serialize());
		OidcClient batch = batch();
		HTTPResponse response = batch.userInfo(token, batch.userInfoProof(this.proofs, token));
		assertThat(response.getStatusCode()).isEqualTo(401);
		assertThat(batch.introspect(token).toSuccessResponse().isActive()).isFalse();
	}

	private OidcClient batch() {
		return new OidcClient(this.mynumber.discover(REALM), "mn-batch", "mn-batch-secret-0123456789");
	}

	private AccessToken boundToken(OidcClient client) throws Exception {
		TokenResponse response = client.token(new ClientCredentialsGrant(), new Scope("openid"), this.proofs);
		assertThat(response.indicatesSuccess())
			.as(() -> response.indicatesSuccess() ? ""
					: response.toErrorResponse().getErrorObject().toJSONObject().toString() + ServerProcess.tail(this.mynumber.log()))
			.isTrue();
		return ((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken();
	}

	private static HTTPResponse get(URI uri) throws IOException {
		return new com.nimbusds.oauth2.sdk.http.HTTPRequest(com.nimbusds.oauth2.sdk.http.HTTPRequest.Method.GET, uri)
			.send();
	}

}
