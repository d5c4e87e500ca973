package jp.hitotsu.oidc;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

/**
 * Client-credentials access tokens are self-contained JWTs and are stored nowhere: issuing
 * one writes nothing to the database. What still holds:
 * <ul>
 * <li>introspection verifies the token with the realm's keys and issuer, and checks that
 * its client still exists and may use client credentials;</li>
 * <li>revocation records the token's hash in {@code oauth_revoked_token} until the token
 * would have expired, and introspection answers inactive from then on.</li>
 * </ul>
 * Resource servers that only verify signatures keep accepting a revoked token until it
 * expires, which is why access token lifetimes are short (minutes).
 */
@Component
class StatelessClientTokens {

	/** Marks an authorization rebuilt from a stateless token (never stored). */
	static final String STATELESS = "hitotsu.stateless";

	private final JdbcClient jdbc;

	private final RealmAccessTokenDecoder decoder;

	private final RealmClientRepository clients;

	StatelessClientTokens(JdbcClient jdbc, RealmAccessTokenDecoder decoder, RealmClientRepository clients) {
		this.jdbc = jdbc;
		this.decoder = decoder;
		this.clients = clients;
	}

	/** True for a client-credentials grant, which is never stored, and for its rebuilt form. */
	static boolean isStateless(OAuth2Authorization authorization) {
		return AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())
				&& authorization.getRefreshToken() == null;
	}

	/**
	 * Issuing writes nothing; a revocation (the authorization server saves the grant with
	 * its access token invalidated) is recorded by hash.
	 */
	void save(String realm, OAuth2Authorization authorization) {
		OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
		if (accessToken == null || !accessToken.isInvalidated()) {
			return;
		}
		Instant expiresAt = accessToken.getToken().getExpiresAt();
		this.jdbc.sql("""
				insert into oauth_revoked_token (token_hash, realm, expires_at) values (:hash, :realm, :expires)
				on conflict (token_hash) do nothing
				""")
			.param("hash", PostgresAuthorizationService.hash(accessToken.getToken().getTokenValue()))
			.param("realm", realm)
			.param("expires", Timestamp.from((expiresAt != null) ? expiresAt : Instant.now()))
			.update();
	}

	/** The grant behind a valid, unrevoked client-credentials token of this realm, if it is one. */
	Optional<OAuth2Authorization> find(String realm, String token) {
		if (token.chars().filter((c) -> c == '.').count() != 2) {
			return Optional.empty();
		}
		Jwt jwt;
		try {
			jwt = this.decoder.decode(token);
		}
		catch (JwtException ex) {
			return Optional.empty();
		}
		String clientId = jwt.getClaimAsString("client_id");
		if (clientId == null || !clientId.equals(jwt.getSubject())) {
			// a person's token: its grant is stored, so a token not found is revoked or expired
			return Optional.empty();
		}
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null
				|| !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.CLIENT_CREDENTIALS)) {
			return Optional.empty();
		}
		boolean revoked = this.jdbc.sql("select count(*) from oauth_revoked_token where token_hash = :hash and realm = :realm")
			.param("hash", PostgresAuthorizationService.hash(token))
			.param("realm", realm)
			.query(Integer.class)
			.single() > 0;
		if (revoked) {
			return Optional.empty();
		}
		Set<String> scopes = new HashSet<>(jwt.getClaimAsStringList("scope") != null ? jwt.getClaimAsStringList("scope")
				: java.util.List.of());
		// bound to the client's key (DPoP) when issued with a proof: introspection says so
		OAuth2AccessToken.TokenType type = (jwt.hasClaim("cnf")) ? OAuth2AccessToken.TokenType.DPOP
				: OAuth2AccessToken.TokenType.BEARER;
		OAuth2AccessToken accessToken = new OAuth2AccessToken(type, token, jwt.getIssuedAt(), jwt.getExpiresAt(),
				scopes);
		return Optional.of(OAuth2Authorization.withRegisteredClient(client)
			.principalName(clientId)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.authorizedScopes(scopes)
			.token(accessToken, (metadata) -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, jwt.getClaims()))
			.attribute(STATELESS, true)
			.build());
	}

}
