package jp.hitotsu.oidc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogoutEvent;
import jp.hitotsu.realm.RealmContext;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Authorizations in PostgreSQL. Each token is found through the SHA-256 of its value in
 * {@code oauth_token}: one primary-key lookup, never a scan over token columns, and no
 * token stored in the clear.
 *
 * <p>
 * Refresh tokens rotate: the replaced one stays in {@code oauth_token}, marked rotated.
 * Presenting it again is a sign that it was stolen, so the whole family (the
 * authorization, with every token it holds) is revoked. Two concurrent uses of one
 * refresh token cannot both succeed: a save carries the version it read, and a save
 * based on a stale version fails with {@code invalid_grant}.
 */
@Component
public class PostgresAuthorizationService implements OAuth2AuthorizationService {

	private static final Logger logger = LoggerFactory.getLogger(PostgresAuthorizationService.class);

	/** Attribute holding the row version an authorization object was read at. */
	static final String VERSION = "hitotsu.version";

	/** How long an authorization request waiting for login or consent is kept. */
	private static final Duration PENDING_LIFETIME = Duration.ofMinutes(30);

	private static final ObjectInputFilter ALLOWED_CLASSES = ObjectInputFilter.Config
		.createFilter("java.**;javax.**;org.springframework.**;jp.hitotsu.**;com.nimbusds.**;maxdepth=30;!*");

	private final JdbcClient jdbc;

	private final Clock clock;

	private final StatelessClientTokens statelessTokens;

	private final TransactionTemplate transactions;

	/**
	 * Grants already deserialised, by id and row version: every change bumps the version, so
	 * an entry can never be served stale, on this instance or after a change made by another.
	 */
	private final Cache<String, OAuth2Authorization> decoded = Caffeine.newBuilder()
		.maximumSize(20_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	PostgresAuthorizationService(JdbcClient jdbc, Clock clock, StatelessClientTokens statelessTokens,
			TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.statelessTokens = statelessTokens;
		this.transactions = transactions;
	}

	/**
	 * Stores a grant and its token hashes in one transaction; a client-credentials grant is
	 * not stored at all (and opens no transaction: it is the hottest path).
	 */
	@Override
	public void save(OAuth2Authorization authorization) {
		String realm = RealmContext.require().name();
		if (StatelessClientTokens.isStateless(authorization)) {
			this.statelessTokens.save(realm, authorization);
			return;
		}
		this.transactions.executeWithoutResult((status) -> store(realm, authorization));
	}

	private void store(String realm, OAuth2Authorization authorization) {
		Integer readVersion = authorization.getAttribute(VERSION);
		int newVersion = (readVersion != null) ? readVersion + 1 : 1;
		OAuth2Authorization toStore = OAuth2Authorization.from(authorization).attribute(VERSION, newVersion).build();
		byte[] data = serialize(toStore);
		Timestamp expiresAt = Timestamp.from(expiry(toStore));
		String sessionId = sessionId(toStore);
		if (readVersion == null) {
			this.jdbc.sql("""
					insert into oauth_authorization (id, realm, registered_client_id, principal_name, grant_type,
					  session_id, data, version, expires_at)
					values (:id, :realm, :client, :principal, :grant, :session, :data, :version, :expires)
					""")
				.param("id", toStore.getId())
				.param("realm", realm)
				.param("client", toStore.getRegisteredClientId())
				.param("principal", toStore.getPrincipalName())
				.param("grant", toStore.getAuthorizationGrantType().getValue())
				.param("session", sessionId)
				.param("data", data)
				.param("version", newVersion)
				.param("expires", expiresAt)
				.update();
		}
		else {
			int updated = this.jdbc.sql("""
					update oauth_authorization set data = :data, version = :version, expires_at = :expires,
					  session_id = :session
					where id = :id and realm = :realm and version = :readVersion
					""")
				.param("data", data)
				.param("version", newVersion)
				.param("expires", expiresAt)
				.param("session", sessionId)
				.param("id", toStore.getId())
				.param("realm", realm)
				.param("readVersion", readVersion)
				.update();
			if (updated == 0) {
				throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
						"The grant was used concurrently or has been revoked", null));
			}
		}
		syncTokens(toStore);
	}

	@Override
	@Transactional
	public void remove(OAuth2Authorization authorization) {
		this.jdbc.sql("delete from oauth_authorization where id = :id").param("id", authorization.getId()).update();
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return RealmContext.current()
			.flatMap((realm) -> this.jdbc.sql("select data from oauth_authorization where id = :id and realm = :realm")
				.param("id", id)
				.param("realm", realm.name())
				.query((rs, row) -> deserialize(rs.getBytes("data")))
				.optional())
			.orElse(null);
	}

	/**
	 * One indexed lookup by the token's hash. A token not stored may still be a
	 * self-contained client-credentials token, which is checked by its signature and the
	 * revocation list instead.
	 */
	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		if (token == null || token.isEmpty() || RealmContext.current().isEmpty()) {
			return null;
		}
		String realm = RealmContext.require().name();
		Optional<Found> found = this.jdbc.sql("""
				select a.id, a.version, a.data, t.token_type, t.rotated from oauth_token t
				join oauth_authorization a on a.id = t.authorization_id
				where t.token_hash = :hash and a.realm = :realm
				""")
			.param("hash", hash(token))
			.param("realm", realm)
			.query((rs, row) -> new Found(rs.getString("id"), rs.getInt("version"), rs.getBytes("data"),
					rs.getString("token_type"), rs.getBoolean("rotated")))
			.optional();
		if (found.isEmpty()) {
			boolean mayBeAccessToken = tokenType == null || OAuth2TokenType.ACCESS_TOKEN.equals(tokenType);
			return mayBeAccessToken ? this.statelessTokens.find(realm, token).orElse(null) : null;
		}
		Found hit = found.get();
		if (hit.rotated()) {
			this.jdbc.sql("delete from oauth_authorization where id = :id").param("id", hit.authorizationId()).update();
			logger.warn("A rotated refresh token of realm '{}' was presented again; its whole grant {} is revoked",
					realm, hit.authorizationId());
			return null;
		}
		if (tokenType != null && !tokenType.getValue().equals(hit.tokenType())) {
			return null;
		}
		return this.decoded.get(hit.authorizationId() + "#" + hit.version(), (key) -> deserialize(hit.data()));
	}

	/**
	 * The realm of the authorization request waiting for consent under this {@code state}.
	 * The consent page lives outside the realm's path (the authorization server redirects to
	 * one fixed page), so it learns the realm from the pending request itself.
	 */
	public Optional<String> realmOfPendingConsent(String state) {
		if (state == null || state.isEmpty()) {
			return Optional.empty();
		}
		return this.jdbc.sql("""
				select a.realm from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where t.token_hash = :hash and t.token_type = 'state'
				""").param("hash", hash(state)).query(String.class).optional();
	}

	/** Ends every grant made during a login session that ended. */
	@EventListener
	@Transactional
	public void onLogout(RealmLogoutEvent event) {
		int revoked = this.jdbc.sql("delete from oauth_authorization where realm = :realm and session_id = :session")
			.param("realm", event.principal().realm())
			.param("session", event.principal().sessionId())
			.update();
		logger.debug("Logout from realm '{}' revoked {} grants", event.principal().realm(), revoked);
	}

	private void syncTokens(OAuth2Authorization authorization) {
		Map<String, String> wanted = new HashMap<>();
		tokenValues(authorization).forEach((value, type) -> wanted.put(hex(hash(value)), type));
		List<StoredToken> existing = this.jdbc
			.sql("select token_hash, token_type, rotated from oauth_token where authorization_id = :id")
			.param("id", authorization.getId())
			.query((rs, row) -> new StoredToken(rs.getBytes("token_hash"), rs.getString("token_type"),
					rs.getBoolean("rotated")))
			.list();
		for (StoredToken token : existing) {
			String key = hex(token.hash());
			if (wanted.remove(key) != null) {
				continue;
			}
			if (OAuth2TokenType.REFRESH_TOKEN.getValue().equals(token.type())) {
				if (!token.rotated()) {
					this.jdbc.sql("update oauth_token set rotated = true where token_hash = :hash")
						.param("hash", token.hash())
						.update();
				}
			}
			else {
				this.jdbc.sql("delete from oauth_token where token_hash = :hash").param("hash", token.hash()).update();
			}
		}
		wanted.forEach((hexHash, type) -> this.jdbc.sql("""
				insert into oauth_token (token_hash, authorization_id, token_type) values (:hash, :id, :type)
				on conflict (token_hash) do nothing
				""").param("hash", unhex(hexHash)).param("id", authorization.getId()).param("type", type).update());
	}

	/** Every value by which this authorization can be found, with its type. */
	private static Map<String, String> tokenValues(OAuth2Authorization authorization) {
		Map<String, String> values = new HashMap<>();
		String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
		if (state != null) {
			values.put(state, OAuth2ParameterNames.STATE);
		}
		for (Class<? extends AbstractOAuth2Token> type : TokenTypes.ALL.keySet()) {
			OAuth2Authorization.Token<? extends AbstractOAuth2Token> token = authorization.getToken(type);
			if (token != null) {
				values.put(token.getToken().getTokenValue(), TokenTypes.ALL.get(type));
			}
		}
		return values;
	}

	private Instant expiry(OAuth2Authorization authorization) {
		Instant latest = null;
		for (Class<? extends AbstractOAuth2Token> type : TokenTypes.ALL.keySet()) {
			OAuth2Authorization.Token<? extends AbstractOAuth2Token> token = authorization.getToken(type);
			if (token != null && token.getToken().getExpiresAt() != null
					&& (latest == null || token.getToken().getExpiresAt().isAfter(latest))) {
				latest = token.getToken().getExpiresAt();
			}
		}
		return (latest != null) ? latest : this.clock.instant().plus(PENDING_LIFETIME);
	}

	private static String sessionId(OAuth2Authorization authorization) {
		Object principal = authorization.getAttribute(java.security.Principal.class.getName());
		return (principal instanceof RealmAuthentication login) ? login.getPrincipal().sessionId() : null;
	}

	static byte[] hash(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String hex(byte[] bytes) {
		return java.util.HexFormat.of().formatHex(bytes);
	}

	private static byte[] unhex(String hex) {
		return java.util.HexFormat.of().parseHex(hex);
	}

	private static byte[] serialize(OAuth2Authorization authorization) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(authorization);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot serialize authorization " + authorization.getId(), ex);
		}
		return bytes.toByteArray();
	}

	private static OAuth2Authorization deserialize(byte[] data) {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
			in.setObjectInputFilter(ALLOWED_CLASSES);
			return (OAuth2Authorization) in.readObject();
		}
		catch (IOException | ClassNotFoundException ex) {
			throw new IllegalStateException("A stored authorization cannot be read", ex);
		}
	}

	private record Found(String authorizationId, int version, byte[] data, String tokenType, boolean rotated) {
	}

	private record StoredToken(byte[] hash, String type, boolean rotated) {
	}

}
