package jp.hitotsu.realm;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * A client application registered in a realm file.
 *
 * @param clientId the {@code client_id}, unique in the realm
 * @param name a name shown to users (consent page)
 * @param secret the client secret in clear text (development only; it is hashed before it
 * is stored); prefer {@code secret-hash}
 * @param secretHash the secret's hash as stored, {@code {sha256}...} (see README)
 * @param authenticationMethods {@code client_secret_basic}, {@code client_secret_post},
 * {@code private_key_jwt}, or {@code none} for a public client
 * @param grantTypes {@code authorization_code}, {@code refresh_token},
 * {@code client_credentials}
 * @param redirectUris exact redirect URIs; a loopback IP URI ({@code http://127.0.0.1/...})
 * matches any port (RFC 8252)
 * @param postLogoutRedirectUris where RP-initiated logout may return to
 * @param scopes scopes the client may request
 * @param roles the roles this client may see in its tokens
 * @param requireConsent ask the user before the first authorization
 * @param requirePkce require PKCE (always required for public clients)
 * @param jwksUri where the client publishes its keys, for {@code private_key_jwt}
 * @param jwks the client's public keys given inline (a JWK set), for
 * {@code private_key_jwt} without fetching anything
 * @param idTokenSigningAlgorithm {@code RS256} or {@code ES256}; the realm's algorithm
 * when absent
 * @param accessTokenLifetime overrides the realm's access token lifetime
 * @param refreshTokenLifetime overrides the realm's refresh token lifetime
 * @param minimumLevel the assurance level every login for this client reaches at least
 * (above the realm's own); a user below it is asked for the missing factor
 * @param requireVerifiedEmail an account whose e-mail address is not verified gets no code
 * or token for this client; it is asked to verify the address first
 * @param requirePushedAuthorizationRequests the client's authorization requests are
 * refused unless pushed first (PAR, RFC 9126) and referenced by {@code request_uri}
 * @param tokenExchangeAudiences the clients of the realm this client may exchange a
 * person's access token for, on the person's behalf (RFC 8693); each entry is one allowed
 * pair (this client, audience)
 * @param backchannelLogoutUri where the client receives logout tokens (OpenID Connect
 * Back-Channel Logout 1.0) when a login session it got tokens in ends; https, or http on a
 * loopback address; no fragment
 * @param backchannelLogoutSessionRequired the client needs the {@code sid} claim in logout
 * tokens (they always carry it when the session is known)
 * @param frontchannelLogoutUri the page the browser loads in a hidden frame when the user
 * logs out at the realm (OpenID Connect Front-Channel Logout 1.0), with {@code iss} and
 * {@code sid}; same rules as the back-channel URI, and the scheme, host and port of a
 * redirect URI
 * @param frontchannelLogoutSessionRequired the client needs {@code iss} and {@code sid}
 * (always sent)
 * @param verifiedClaims the client may receive OpenID Connect for Identity Assurance
 * {@code verified_claims} (the person's verified names and the evidence behind them)
 * @param minimumIal the identity assurance level (1-3) an account needs for this client; a
 * person below it is sent to an upstream provider of the realm that proves enough
 */
public record ClientDefinition(String clientId, String name, String secret, String secretHash,
		List<String> authenticationMethods, List<String> grantTypes, List<String> redirectUris,
		List<String> postLogoutRedirectUris, List<String> scopes, List<String> roles, boolean requireConsent,
		Boolean requirePkce, String jwksUri, Map<String, Object> jwks, String idTokenSigningAlgorithm, Duration accessTokenLifetime,
		Duration refreshTokenLifetime, AssuranceLevel minimumLevel, boolean requireVerifiedEmail,
		boolean requirePushedAuthorizationRequests, List<String> tokenExchangeAudiences, String backchannelLogoutUri,
		boolean backchannelLogoutSessionRequired, String frontchannelLogoutUri,
		boolean frontchannelLogoutSessionRequired, boolean verifiedClaims, Integer minimumIal) {

	private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~:-]{1,255}");

	private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	public static final Set<String> AUTHENTICATION_METHODS = Set.of("client_secret_basic", "client_secret_post",
			"private_key_jwt", "none");

	public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

	public static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

	public static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials",
			TOKEN_EXCHANGE, DEVICE_CODE);

	public ClientDefinition {
		Definitions.require(isValidClientId(clientId),
				"client-id '" + clientId + "' is missing or has characters other than A-Z a-z 0-9 . _ ~ : -");
		String where = "client '" + clientId + "': ";
		name = (name != null && !name.isBlank()) ? name : clientId;
		minimumLevel = (minimumLevel != null) ? minimumLevel : AssuranceLevel.AAL1;
		minimumIal = (minimumIal != null) ? minimumIal : 1;
		Definitions.require(minimumIal >= 1 && minimumIal <= 3, where + "minimum-ial must be 1, 2 or 3");
		authenticationMethods = Definitions.listOrEmpty(authenticationMethods);
		if (authenticationMethods.isEmpty()) {
			authenticationMethods = List.of((secret != null || secretHash != null) ? "client_secret_basic"
					: (jwksUri != null || jwks != null) ? "private_key_jwt" : "none");
		}
		for (String method : authenticationMethods) {
			Definitions.require(AUTHENTICATION_METHODS.contains(method), where + "authentication method '" + method
					+ "' is not supported; use one of " + AUTHENTICATION_METHODS);
		}
		boolean isPublic = authenticationMethods.contains("none");
		Definitions.require(!isPublic || authenticationMethods.size() == 1,
				where + "a public client (none) cannot also use another authentication method");
		boolean usesSecret = authenticationMethods.contains("client_secret_basic")
				|| authenticationMethods.contains("client_secret_post");
		Definitions.require(!usesSecret || secret != null || secretHash != null,
				where + "client_secret_* authentication needs secret or secret-hash");
		Definitions.require(secret == null || secretHash == null, where + "give secret or secret-hash, not both");
		Definitions.require(secret == null || !secret.isBlank(), where + "secret is empty");
		Definitions.require(secretHash == null || secretHash.startsWith("{"),
				where + "secret-hash must name its algorithm, e.g. {sha256}...");
		Definitions.require(!authenticationMethods.contains("private_key_jwt") || jwksUri != null || jwks != null,
				where + "private_key_jwt needs jwks-uri or jwks");
		Definitions.require(jwksUri == null || jwks == null, where + "give jwks-uri or jwks, not both");
		if (jwks != null) {
			publicKeySet(jwks, where);
		}
		if (jwksUri != null) {
			absoluteUri(jwksUri, where + "jwks-uri");
		}
		grantTypes = Definitions.listOrEmpty(grantTypes);
		if (grantTypes.isEmpty()) {
			grantTypes = isPublic ? List.of("authorization_code") : List.of("authorization_code", "refresh_token");
		}
		for (String grant : grantTypes) {
			Definitions.require(GRANT_TYPES.contains(grant),
					where + "grant type '" + grant + "' is not supported; use one of " + GRANT_TYPES);
		}
		Definitions.require(!isPublic || !grantTypes.contains("client_credentials"),
				where + "a public client (none) cannot use client_credentials");
		tokenExchangeAudiences = Definitions.listOrEmpty(tokenExchangeAudiences);
		// a pair is only meaningful with the grant, and the grant only with a pair
		Definitions.require(grantTypes.contains(TOKEN_EXCHANGE) == !tokenExchangeAudiences.isEmpty(),
				where + "grant type " + TOKEN_EXCHANGE + " and token-exchange-audiences go together: "
						+ "list the clients it may exchange tokens for, or drop both");
		Definitions.require(!isPublic || tokenExchangeAudiences.isEmpty(),
				where + "a public client (none) cannot exchange tokens: it could not prove who acts");
		for (String audience : tokenExchangeAudiences) {
			Definitions.require(isValidClientId(audience) && !audience.equals(clientId),
					where + "token-exchange-audiences entry '" + audience + "' is not another client's client-id");
		}
		redirectUris = Definitions.listOrEmpty(redirectUris);
		Definitions.require(!grantTypes.contains("authorization_code") || !redirectUris.isEmpty(),
				where + "authorization_code needs at least one redirect-uris entry");
		redirectUris.forEach((uri) -> redirectUri(uri, where + "redirect-uris"));
		postLogoutRedirectUris = Definitions.listOrEmpty(postLogoutRedirectUris);
		postLogoutRedirectUris.forEach((uri) -> redirectUri(uri, where + "post-logout-redirect-uris"));
		scopes = Definitions.listOrEmpty(scopes);
		if (scopes.isEmpty()) {
			scopes = grantTypes.contains("authorization_code") ? List.of("openid", "profile", "email") : List.of();
		}
		for (String scope : scopes) {
			Definitions.require(isValidScope(scope),
					where + "scope '" + scope + "' has characters RFC 6749 does not allow");
		}
		roles = Definitions.listOrEmpty(roles);
		requirePkce = isPublic || Boolean.TRUE.equals(requirePkce);
		Definitions.require(idTokenSigningAlgorithm == null
				|| TokenPolicy.SIGNING_ALGORITHMS.contains(idTokenSigningAlgorithm),
				where + "id-token-signing-algorithm '" + idTokenSigningAlgorithm + "' is not supported; use RS256 or ES256");
		accessTokenLifetime = (accessTokenLifetime != null)
				? TokenPolicy.positive(accessTokenLifetime, null, where + "access-token-lifetime") : null;
		refreshTokenLifetime = (refreshTokenLifetime != null)
				? TokenPolicy.positive(refreshTokenLifetime, null, where + "refresh-token-lifetime") : null;
		Definitions.require(backchannelLogoutUri == null || isValidLogoutUri(backchannelLogoutUri), where
				+ "backchannel-logout-uri '" + backchannelLogoutUri + "' must be an absolute https URI (http only on a "
				+ "loopback address) without fragment");
		Definitions.require(!backchannelLogoutSessionRequired || backchannelLogoutUri != null,
				where + "backchannel-logout-session-required needs backchannel-logout-uri");
		Definitions.require(frontchannelLogoutUri == null || isValidFrontchannelLogoutUri(frontchannelLogoutUri,
				redirectUris), where + "frontchannel-logout-uri '" + frontchannelLogoutUri + "' must be an absolute "
						+ "https URI (http only on a loopback address) without fragment, on the scheme, host and port "
						+ "of one of the redirect-uris");
		Definitions.require(!frontchannelLogoutSessionRequired || frontchannelLogoutUri != null,
				where + "frontchannel-logout-session-required needs frontchannel-logout-uri");
	}

	/** Whether a {@code client_id} has only the characters and length allowed. */
	public static boolean isValidClientId(String clientId) {
		return clientId != null && CLIENT_ID.matcher(clientId).matches();
	}

	/** Whether a scope token has only the characters RFC 6749 (3.3) allows. */
	public static boolean isValidScope(String scope) {
		return scope != null && SCOPE.matcher(scope).matches();
	}

	/** Whether a redirect URI is absolute, has a host and no fragment. */
	public static boolean isValidRedirectUri(String value) {
		try {
			URI uri = new URI(value);
			return uri.isAbsolute() && uri.getHost() != null && uri.getFragment() == null;
		}
		catch (URISyntaxException | NullPointerException ex) {
			return false;
		}
	}

	/**
	 * Whether a URI may receive logout tokens: absolute, no fragment (Back-Channel Logout 1.0,
	 * 2.2), and https unless it stays on this machine (a loopback address), since the token
	 * identifies a person's session.
	 */
	public static boolean isValidLogoutUri(String value) {
		if (!isValidRedirectUri(value)) {
			return false;
		}
		URI uri = URI.create(value);
		return "https".equalsIgnoreCase(uri.getScheme())
				|| ("http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost()));
	}

	/**
	 * Whether a URI may be loaded at logout: a logout URI on the origin of one of the
	 * redirect URIs (Front-Channel Logout 1.0, 2), a loopback one on any port of its host.
	 */
	public static boolean isValidFrontchannelLogoutUri(String value, List<String> redirectUris) {
		if (!isValidLogoutUri(value)) {
			return false;
		}
		URI uri = URI.create(value);
		return redirectUris.stream().filter(ClientDefinition::isValidRedirectUri).map(URI::create).anyMatch(
				(redirect) -> uri.getScheme().equalsIgnoreCase(redirect.getScheme())
						&& uri.getHost().equalsIgnoreCase(redirect.getHost())
						&& (uri.getPort() == redirect.getPort() || isLoopback(uri.getHost())));
	}

	private static boolean isLoopback(String host) {
		return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
	}

	@JsonIgnore
	public boolean isPublic() {
		return this.authenticationMethods.contains("none");
	}

	/** The same client with its clear-text secret replaced by the given hash, for storage. */
	public ClientDefinition withSecretHash(String hash) {
		return new ClientDefinition(this.clientId, this.name, null, hash, this.authenticationMethods, this.grantTypes,
				this.redirectUris, this.postLogoutRedirectUris, this.scopes, this.roles, this.requireConsent,
				this.requirePkce, this.jwksUri, this.jwks, this.idTokenSigningAlgorithm, this.accessTokenLifetime,
				this.refreshTokenLifetime, this.minimumLevel, this.requireVerifiedEmail,
				this.requirePushedAuthorizationRequests, this.tokenExchangeAudiences, this.backchannelLogoutUri,
				this.backchannelLogoutSessionRequired, this.frontchannelLogoutUri,
				this.frontchannelLogoutSessionRequired, this.verifiedClaims, this.minimumIal);
	}

	private static void publicKeySet(Map<String, Object> jwks, String where) {
		JWKSet set;
		try {
			set = JWKSet.parse(jwks);
		}
		catch (java.text.ParseException ex) {
			throw new IllegalArgumentException(where + "jwks is not a JWK set: " + ex.getMessage());
		}
		Definitions.require(!set.getKeys().isEmpty(), where + "jwks has no keys");
		for (JWK key : set.getKeys()) {
			Definitions.require(!key.isPrivate(),
					where + "jwks key '" + key.getKeyID() + "' contains a private key; give only public keys");
		}
	}

	private static URI absoluteUri(String value, String field) {
		try {
			URI uri = new URI(value);
			Definitions.require(uri.isAbsolute() && uri.getHost() != null,
					field + " '" + value + "' is not an absolute URI with a host");
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(field + " '" + value + "' is not a URI: " + ex.getReason());
		}
	}

	private static void redirectUri(String value, String field) {
		URI uri = absoluteUri(value, field);
		Definitions.require(uri.getFragment() == null, field + " '" + value + "' must not have a fragment");
	}

}
