package jp.hitotsu.support;

import java.io.IOException;
import java.net.URI;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relying party built on the Nimbus OAuth 2.0 SDK, as a departmental application would
 * be: it uses only what discovery tells it and verifies tokens against the JWKS.
 */
public final class OidcClient {

	private final OIDCProviderMetadata provider;

	private final ClientID clientId;

	private final Secret secret;

	private final JWKSource<SecurityContext> jwks;

	/** Whether the secret goes in the request's form (client_secret_post) instead of a Basic header. */
	private final boolean secretInForm;

	public OidcClient(OIDCProviderMetadata provider, String clientId, String secret) {
		this(provider, clientId, secret, false);
	}

	private OidcClient(OIDCProviderMetadata provider, String clientId, String secret, boolean secretInForm) {
		this.provider = provider;
		this.clientId = new ClientID(clientId);
		this.secret = (secret != null) ? new Secret(secret) : null;
		this.secretInForm = secretInForm;
		// fetched at every verification: a test must see the JWKS as it is now
		this.jwks = (selector, context) -> {
			try {
				return selector.select(JWKSet.load(provider.getJWKSetURI().toURL(), 5000, 5000, 1 << 20));
			}
			catch (IOException | java.text.ParseException ex) {
				throw new com.nimbusds.jose.KeySourceException("JWKS of " + provider.getIssuer() + " unavailable", ex);
			}
		};
	}

	public OIDCProviderMetadata provider() {
		return this.provider;
	}

	/**
	 * The same client sending its secret in the form of token and PAR requests
	 * ({@code client_secret_post}), as clients do whose library knows no other way.
	 */
	public OidcClient postingSecret() {
		return new OidcClient(this.provider, this.clientId.getValue(), this.secret.getValue(), true);
	}

	/** A new authorization request with state, nonce and PKCE (S256). */
	public Authorization authorization(URI redirectUri, String scope) {
		return authorization(redirectUri, scope, (request) -> {
		});
	}

	/**
	 * A new authorization request with state, nonce and PKCE (S256), and whatever else the
	 * customizer sets ({@code acr_values}, {@code prompt}, {@code max_age}).
	 */
	public Authorization authorization(URI redirectUri, String scope,
			java.util.function.Consumer<AuthenticationRequest.Builder> customizer) {
		State state = new State();
		Nonce nonce = new Nonce();
		CodeVerifier verifier = new CodeVerifier();
		AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE,
				Scope.parse(scope), this.clientId, redirectUri)
			.endpointURI(this.provider.getAuthorizationEndpointURI())
			.state(state)
			.nonce(nonce)
			.codeChallenge(verifier, CodeChallengeMethod.S256);
		customizer.accept(builder);
		return new Authorization(builder.build(), state, nonce, verifier, redirectUri);
	}

	/** Reads the redirect a browser got back and exchanges the code; asserts success. */
	public OIDCTokenResponse exchange(URI callback, Authorization authorization) {
		TokenResponse response = tokenResponse(callback, authorization);
		assertThat(response.indicatesSuccess())
			.as(() -> "token response: " + (response.indicatesSuccess() ? ""
					: response.toErrorResponse().getErrorObject().toJSONObject()))
			.isTrue();
		return (OIDCTokenResponse) response.toSuccessResponse();
	}

	public TokenResponse tokenResponse(URI callback, Authorization authorization) {
		return token(codeGrant(callback, authorization));
	}

	/** Exchanges the code with a DPoP proof (RFC 9449), for tokens bound to the factory's key. */
	public TokenResponse tokenResponse(URI callback, Authorization authorization, DPoPProofFactory dpop)
			throws JOSEException {
		return token(codeGrant(callback, authorization), null, dpop);
	}

	private static AuthorizationCodeGrant codeGrant(URI callback, Authorization authorization) {
		AuthenticationResponse response;
		try {
			response = AuthenticationResponseParser.parse(callback);
		}
		catch (ParseException ex) {
			throw new AssertionError("Not an authorization response: " + callback, ex);
		}
		assertThat(response.indicatesSuccess()).as("authorization response " + callback).isTrue();
		assertThat(response.getState()).isEqualTo(authorization.state());
		return new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(),
				authorization.redirectUri(), authorization.verifier());
	}

	public TokenResponse token(AuthorizationGrant grant) {
		return token(grant, null);
	}

	public TokenResponse token(AuthorizationGrant grant, Scope scope) {
		return parse(tokenRequest(grant, scope).toHTTPRequest());
	}

	/** A token request with a DPoP proof (RFC 9449) for the token endpoint, signed by the factory's key. */
	public TokenResponse token(AuthorizationGrant grant, Scope scope, DPoPProofFactory dpop) throws JOSEException {
		HTTPRequest request = tokenRequest(grant, scope).toHTTPRequest();
		request.setDPoP(dpop.createDPoPJWT("POST", this.provider.getTokenEndpointURI()));
		return parse(request);
	}

	private TokenRequest tokenRequest(AuthorizationGrant grant, Scope scope) {
		return (this.secret != null)
				? new TokenRequest(this.provider.getTokenEndpointURI(), authentication(), grant, scope)
				: new TokenRequest(this.provider.getTokenEndpointURI(), this.clientId, grant, scope);
	}

	/** A fresh DPoP proof for a GET of UserInfo with the given access token. */
	public SignedJWT userInfoProof(DPoPProofFactory dpop, AccessToken accessToken) throws JOSEException {
		return dpop.createDPoPJWT("GET", this.provider.getUserInfoEndpointURI(), accessToken);
	}

	/**
	 * A GET of UserInfo as it is sent: a {@link com.nimbusds.oauth2.sdk.token.DPoPAccessToken}
	 * goes as {@code Authorization: DPoP} with the proof (when given), a bearer token as
	 * {@code Authorization: Bearer}.
	 */
	public HTTPResponse userInfo(AccessToken accessToken, SignedJWT proof) {
		HTTPRequest request = new UserInfoRequest(this.provider.getUserInfoEndpointURI(), accessToken).toHTTPRequest();
		if (proof != null) {
			request.setDPoP(proof);
		}
		return send(request);
	}

	/** A device authorization request (RFC 8628) to the endpoint discovery names. */
	public DeviceAuthorizationResponse deviceAuthorization(Scope scope) {
		DeviceAuthorizationRequest request = (this.secret != null)
				? new DeviceAuthorizationRequest(this.provider.getDeviceAuthorizationEndpointURI(), authentication(),
						scope, java.util.Map.of())
				: new DeviceAuthorizationRequest(this.provider.getDeviceAuthorizationEndpointURI(), this.clientId,
						scope);
		try {
			return DeviceAuthorizationResponse.parse(send(request.toHTTPRequest()));
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	/** Pushes an authorization request (PAR, RFC 9126) to the endpoint discovery names. */
	public PushedAuthorizationResponse push(Authorization authorization) {
		PushedAuthorizationRequest request = new PushedAuthorizationRequest(
				this.provider.getPushedAuthorizationRequestEndpointURI(), authentication(), authorization.request());
		try {
			return PushedAuthorizationResponse.parse(send(request.toHTTPRequest()));
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	public TokenResponse refresh(RefreshToken refreshToken) {
		return token(new RefreshTokenGrant(refreshToken));
	}

	public TokenIntrospectionResponse introspect(Token token) {
		TokenIntrospectionRequest request = new TokenIntrospectionRequest(
				this.provider.getIntrospectionEndpointURI(), authentication(), token);
		try {
			return TokenIntrospectionResponse.parse(send(request.toHTTPRequest()));
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	public HTTPResponse revoke(Token token) {
		return send(new TokenRevocationRequest(this.provider.getRevocationEndpointURI(), authentication(), token)
			.toHTTPRequest());
	}

	public UserInfoResponse userInfo(AccessToken accessToken) {
		try {
			return UserInfoResponse
				.parse(send(new UserInfoRequest(this.provider.getUserInfoEndpointURI(), (BearerAccessToken) accessToken)
					.toHTTPRequest()));
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	/** Verifies an ID token as a relying party must (signature by the JWKS, iss, aud, nonce, exp). */
	public JWTClaimsSet verifyIdToken(JWT idToken, Nonce nonce) throws BadJOSEException, JOSEException {
		IDTokenValidator validator = new IDTokenValidator(this.provider.getIssuer(), this.clientId,
				new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), this.jwks), null);
		try {
			return validator.validate(idToken, nonce).toJWTClaimsSet();
		}
		catch (com.nimbusds.oauth2.sdk.ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	/** Verifies a JWT access token (RFC 9068) as a resource server would. */
	public JWTClaimsSet verifyAccessToken(String accessToken) throws BadJOSEException, JOSEException {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
		processor.setJWSKeySelector(
				new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), this.jwks));
		try {
			JWTClaimsSet claims = processor.process(accessToken, null);
			if (!this.provider.getIssuer().getValue().equals(claims.getIssuer())) {
				throw new BadJOSEException("issuer " + claims.getIssuer());
			}
			return claims;
		}
		catch (java.text.ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	private ClientAuthentication authentication() {
		if (this.secretInForm) {
			return new ClientSecretPost(this.clientId, this.secret);
		}
		return new ClientSecretBasic(this.clientId, this.secret);
	}

	private static TokenResponse parse(HTTPRequest request) {
		try {
			return OIDCTokenResponseParser.parse(send(request));
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	static HTTPResponse send(HTTPRequest request) {
		try {
			request.setConnectTimeout(5000);
			request.setReadTimeout(30000);
			return request.send();
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	/** What a client remembers between sending the browser away and its return. */
	public record Authorization(AuthenticationRequest request, State state, Nonce nonce, CodeVerifier verifier,
			URI redirectUri) {

		public URI uri() {
			return this.request.toURI();
		}

	}

}
