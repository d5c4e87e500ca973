package jp.hitotsu.federation;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import jp.hitotsu.federation.UpstreamProviders.Upstream;

import org.springframework.stereotype.Component;

/**
 * The relying party side of brokering, all of it through the Nimbus OAuth 2.0 SDK: the
 * provider's metadata by discovery, an authentication request with PKCE (S256),
 * {@code state} and {@code nonce}, the code exchanged with {@code private_key_jwt}, and
 * the ID token checked by {@link IDTokenValidator} (signature by the provider's JWKS,
 * issuer, audience, times with a bounded skew, nonce). Nimbus opens its own connection
 * per call, so this adds no HTTP client bean (see {@code realm.NoOutboundHttp}).
 */
@Component
class UpstreamClient {

	private final FederationProperties properties;

	/** Metadata and ID token validators per realm and provider, found at first use. */
	private final Map<String, Discovered> discovered = new ConcurrentHashMap<>();

	UpstreamClient(FederationProperties properties) {
		this.properties = properties;
	}

	private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator) {
	}

	/**
	 * What the browser carries to the provider and this server must find again when it
	 * comes back; kept in the browser's session, one per realm.
	 */
	record Attempt(String alias, String state, String nonce, String codeVerifier, Instant startedAt)
			implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

	/** A login at the provider that this server checked. */
	record Verified(Issuer issuer, String subject, String acr, Map<String, Object> claims) {
	}

	/** The provider answered with something this server does not accept; the message says what. */
	static class RefusedException extends Exception {

		@Serial
		private static final long serialVersionUID = 1L;

		private final String reason;

		RefusedException(String reason, String message) {
			super(message);
			this.reason = reason;
		}

		RefusedException(String reason, String message, Throwable cause) {
			super(message, cause);
			this.reason = reason;
		}

		/** A short code for the audit trail: unavailable, error, id_token, acr, my_number. */
		String reason() {
			return this.reason;
		}

	}

	/** The authentication request to send the browser with, and what to remember of it. */
	record Start(URI redirect, Attempt attempt) {
	}

	Start start(Upstream upstream, URI callback, Instant now) throws RefusedException {
		OIDCProviderMetadata metadata = discover(upstream).metadata();
		State state = new State();
		Nonce nonce = new Nonce();
		CodeVerifier verifier = new CodeVerifier();
		AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE,
				new Scope(upstream.definition().scopes().toArray(String[]::new)),
				new ClientID(upstream.definition().clientId()), callback)
			.endpointURI(metadata.getAuthorizationEndpointURI())
			.state(state)
			.nonce(nonce)
			.codeChallenge(verifier, CodeChallengeMethod.S256);
		if (!upstream.definition().acrValues().isEmpty()) {
			request.acrValues(upstream.definition().acrValues().stream().map(ACR::new).toList());
		}
		return new Start(request.build().toURI(), new Attempt(upstream.alias(), state.getValue(), nonce.getValue(),
				verifier.getValue(), now));
	}

	/** Exchanges the code and checks what comes back. */
	Verified finish(Upstream upstream, Attempt attempt, String code, URI callback) throws RefusedException {
		Discovered provider = discover(upstream);
		OIDCProviderMetadata metadata = provider.metadata();
		OIDCTokenResponse tokens;
		try {
			TokenRequest request = new TokenRequest(metadata.getTokenEndpointURI(), clientAuthentication(upstream,
					metadata.getTokenEndpointURI()), new AuthorizationCodeGrant(new AuthorizationCode(code), callback,
					new CodeVerifier(attempt.codeVerifier())));
			TokenResponse response = OIDCTokenResponseParser.parse(send(request.toHTTPRequest()));
			if (!response.indicatesSuccess()) {
				ErrorObject error = response.toErrorResponse().getErrorObject();
				throw new RefusedException("error", "its token endpoint answered " + error.getCode()
						+ ((error.getDescription() != null) ? " (" + error.getDescription() + ")" : ""));
			}
			tokens = (OIDCTokenResponse) response.toSuccessResponse();
		}
		catch (ParseException | IOException | JOSEException | ClassCastException ex) {
			throw new RefusedException("unavailable", "its token endpoint gave no usable answer", ex);
		}
		if (tokens.getOIDCTokens().getIDToken() == null) {
			throw new RefusedException("id_token", "its token response has no ID token");
		}
		IDTokenClaimsSet claims;
		try {
			claims = provider.validator().validate(tokens.getOIDCTokens().getIDToken(), new Nonce(attempt.nonce()));
		}
		catch (BadJOSEException | JOSEException ex) {
			throw new RefusedException("id_token", "its ID token was refused: " + ex.getMessage(), ex);
		}
		String acr = (claims.getACR() != null) ? claims.getACR().getValue() : null;
		if (!upstream.definition().acrValues().isEmpty() && !upstream.definition().acrValues().contains(acr)) {
			throw new RefusedException("acr", "its ID token has acr '" + acr + "', not one of "
					+ upstream.definition().acrValues() + " asked for");
		}
		Map<String, Object> all = new LinkedHashMap<>(userInfo(metadata, tokens.getOIDCTokens()
			.getBearerAccessToken(), claims.getSubject().getValue()));
		// the ID token's claims win over UserInfo's: they are the ones signed
		all.putAll(claims.toJSONObject());
		return new Verified(claims.getIssuer(), claims.getSubject().getValue(), acr, MyNumberClaims.strip(all));
	}

	/** UserInfo's claims, when the provider has the endpoint; only for the same subject. */
	private Map<String, Object> userInfo(OIDCProviderMetadata metadata, BearerAccessToken token, String subject)
			throws RefusedException {
		if (metadata.getUserInfoEndpointURI() == null || token == null) {
			return Map.of();
		}
		try {
			UserInfoResponse response = UserInfoResponse
				.parse(send(new UserInfoRequest(metadata.getUserInfoEndpointURI(), token).toHTTPRequest()));
			if (!response.indicatesSuccess() || response.toSuccessResponse().getUserInfo() == null) {
				return Map.of();
			}
			Map<String, Object> info = response.toSuccessResponse().getUserInfo().toJSONObject();
			if (!subject.equals(info.get("sub"))) {
				throw new RefusedException("id_token", "its UserInfo answered for another subject");
			}
			return info;
		}
		catch (ParseException | IOException ex) {
			throw new RefusedException("unavailable", "its UserInfo endpoint gave no usable answer", ex);
		}
	}

	private static PrivateKeyJWT clientAuthentication(Upstream upstream, URI tokenEndpoint) throws JOSEException {
		ClientID clientId = new ClientID(upstream.definition().clientId());
		JWK key = upstream.key();
		if (key instanceof ECKey ec) {
			return new PrivateKeyJWT(clientId, tokenEndpoint, JWSAlgorithm.ES256, ec.toECPrivateKey(), key.getKeyID(),
					null);
		}
		if (key instanceof RSAKey rsa) {
			return new PrivateKeyJWT(clientId, tokenEndpoint, JWSAlgorithm.RS256, rsa.toRSAPrivateKey(), key.getKeyID(),
					null);
		}
		throw new JOSEException("key type " + key.getKeyType() + " cannot sign a client assertion; use EC or RSA");
	}

	private HTTPResponse send(HTTPRequest request) throws IOException {
		request.setConnectTimeout((int) this.properties.connectTimeout().toMillis());
		request.setReadTimeout((int) this.properties.readTimeout().toMillis());
		return request.send();
	}

	private Discovered discover(Upstream upstream) throws RefusedException {
		String key = upstream.realm() + "/" + upstream.alias();
		Discovered known = this.discovered.get(key);
		if (known != null) {
			return known;
		}
		try {
			Issuer issuer = new Issuer(upstream.definition().issuer());
			// resolve() refuses metadata whose issuer is not the one asked for
			OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(issuer,
					(int) this.properties.connectTimeout().toMillis(), (int) this.properties.readTimeout().toMillis());
			IDTokenValidator validator = new IDTokenValidator(issuer,
					new ClientID(upstream.definition().clientId()),
					JWSAlgorithm.parse(upstream.definition().idTokenAlgorithm()), metadata.getJWKSetURI().toURL(),
					new DefaultResourceRetriever((int) this.properties.connectTimeout().toMillis(),
							(int) this.properties.readTimeout().toMillis()));
			validator.setMaxClockSkew((int) this.properties.maxClockSkew().toSeconds());
			Discovered found = new Discovered(metadata, validator);
			this.discovered.put(key, found);
			return found;
		}
		catch (GeneralException | IOException | RuntimeException ex) {
			throw new RefusedException("unavailable", "its metadata could not be discovered at "
					+ upstream.definition().issuer(), ex);
		}
	}

}
