package jp.hitotsu.oidc;

import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Client credentials with each client authentication method, and its refusals. */
class ClientCredentialsTests extends ServerTest {

	/** Private key of the staff realm's `signed-jwt` client (test-only key; its public half is in the realm file). */
	private static final String SIGNED_JWT_CLIENT_KEY = """
			{"kty":"EC","d":"fvCX1br5AI0nBfsZ-2v6Z28aC67c3Opec-RydXJgrZ8","use":"sig","crv":"P-256",
			"kid":"signed-jwt-test-key","x":"KtqAE5Sg_tAdTmwo7ZtiGCq0QQUvvlouOs1x67uQZbw",
			"y":"F5ExyftuJjU9yNpV1eAqsDD0-ptYEy0BdsagDFnsgqM","alg":"ES256"}""";

	@Test
	void clientSecretBasicWhenValidThenSignedAccessTokenWithClientAsSubject() throws Exception {
		OidcClient batch = client("staff", "batch", "batch-secret-0123456789");
		TokenResponse response = batch.token(new ClientCredentialsGrant(), new Scope("reports.read"));
		assertThat(response.indicatesSuccess()).isTrue();
		String token = response.toSuccessResponse().getTokens().getAccessToken().getValue();
		JWTClaimsSet claims = batch.verifyAccessToken(token);
		assertThat(claims.getSubject()).isEqualTo("batch");
		assertThat(claims.getStringClaim("client_id")).isEqualTo("batch");
		assertThat(claims.getStringListClaim("scope")).containsExactly("reports.read");
		assertThat(response.toSuccessResponse().getTokens().getRefreshToken()).isNull();
	}

	@Test
	void clientSecretPostWhenValidThenToken() {
		TokenRequest request = new TokenRequest(discover("staff").getTokenEndpointURI(),
				new ClientSecretPost(new ClientID("web-app"), new Secret("web-app-secret-0123456789")),
				new ClientCredentialsGrant(), null);
		TokenResponse response = parse(request.toHTTPRequest());
		// web-app may not use client_credentials: authenticated, then refused for the grant
		assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("unauthorized_client");
	}

	@Test
	void privateKeyJwtWhenSignedByRegisteredKeyThenToken() throws Exception {
		URI tokenEndpoint = discover("staff").getTokenEndpointURI();
		TokenResponse response = parse(new TokenRequest(tokenEndpoint, assertion(tokenEndpoint.toString()),
				new ClientCredentialsGrant(), new Scope("reports.read"))
			.toHTTPRequest());
		assertThat(response.indicatesSuccess()).as(() -> String.valueOf(response.toHTTPResponse().getBody())).isTrue();
	}

	@Test
	void privateKeyJwtWhenAudienceIsAnotherRealmThenInvalidClient() throws Exception {
		URI tokenEndpoint = discover("staff").getTokenEndpointURI();
		String citizenTokenEndpoint = discover("citizen").getTokenEndpointURI().toString();
		HTTPResponse response = new TokenRequest(tokenEndpoint, assertion(citizenTokenEndpoint),
				new ClientCredentialsGrant(), null)
			.toHTTPRequest()
			.send();
		assertThat(response.getStatusCode()).isEqualTo(401);
		assertThat(response.getBodyAsJSONObject().get("error")).isEqualTo("invalid_client");
	}

	@Test
	void clientSecretWhenWrongThenInvalidClient401() throws Exception {
		HTTPResponse response = client("staff", "batch", "wrong-secret").token(new ClientCredentialsGrant())
			.toHTTPResponse();
		assertThat(response.getStatusCode()).isEqualTo(401);
		assertThat(response.getBodyAsJSONObject().get("error")).isEqualTo("invalid_client");
	}

	@Test
	void clientWhenNoneNamedThenInvalidClient401WithItsScheme() throws Exception {
		// written by hand: the SDK refuses to build a client-credentials request without a client
		HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, discover("staff").getTokenEndpointURI());
		request.setEntityContentType(ContentType.APPLICATION_URLENCODED);
		request.setBody("grant_type=client_credentials");
		HTTPResponse response = request.send();
		assertThat(response.getStatusCode()).isEqualTo(401);
		assertThat(response.getBodyAsJSONObject().get("error")).isEqualTo("invalid_client");
		assertThat(response.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
	}

	@Test
	void clientWhenUnknownThenInvalidClient401() throws Exception {
		HTTPResponse response = client("staff", "nobody", "secret").token(new ClientCredentialsGrant())
			.toHTTPResponse();
		assertThat(response.getStatusCode()).isEqualTo(401);
		assertThat(response.getBodyAsJSONObject().get("error")).isEqualTo("invalid_client");
	}

	@Test
	void scopeWhenNotRegisteredThenInvalidScope() {
		TokenResponse response = client("staff", "batch", "batch-secret-0123456789").token(new ClientCredentialsGrant(),
				new Scope("reports.read", "admin"));
		assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_scope");
		assertThat(response.toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(400);
	}

	@Test
	void grantWhenUnsupportedThenUnsupportedGrantType() throws Exception {
		HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, discover("staff").getTokenEndpointURI());
		request.setAuthorization("Basic " + java.util.Base64.getEncoder().encodeToString("batch:batch-secret-0123456789".getBytes()));
		request.setContentType("application/x-www-form-urlencoded");
		request.setBody("grant_type=password&username=tanaka&password=tanaka-test-pass");
		HTTPResponse response = request.send();
		assertThat(response.getStatusCode()).isEqualTo(400);
		assertThat(response.getBodyAsJSONObject().get("error")).isEqualTo("unsupported_grant_type");
	}

	@Test
	void tokenRequestWhenGrantTypeMissingThenInvalidRequest() throws Exception {
		HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, discover("staff").getTokenEndpointURI());
		request.setAuthorization("Basic " + java.util.Base64.getEncoder().encodeToString("batch:batch-secret-0123456789".getBytes()));
		request.setContentType("application/x-www-form-urlencoded");
		request.setBody("scope=reports.read");
		HTTPResponse response = request.send();
		assertThat(response.getStatusCode()).isEqualTo(400);
		assertThat(response.getBodyAsJSONObject().get("error")).isEqualTo("invalid_request");
	}

	private static PrivateKeyJWT assertion(String audience) throws Exception {
		ECKey key = ECKey.parse(SIGNED_JWT_CLIENT_KEY);
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("signed-jwt")
			.subject("signed-jwt")
			.audience(audience)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(60)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
		jwt.sign(new ECDSASigner(key));
		return new PrivateKeyJWT(jwt);
	}

	private static TokenResponse parse(HTTPRequest request) {
		try {
			return OIDCTokenResponseParser.parse(request.send());
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

}
