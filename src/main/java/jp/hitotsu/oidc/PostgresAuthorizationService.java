package jp.hitotsu.oidc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jp.hitotsu.account.AccountDisabledEvent;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.cluster.CacheInvalidations;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogoutEvent;
import jp.hitotsu.realm.RealmContext;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Authorizations in PostgreSQL. Each token is found through the SHA-256 of its value in
 * {@code oauth_token}: one primary-key lookup, never a scan over token columns, and no
 * token stored in the clear.
 *
 * <p>
 * A grant is stored in two parts: {@code data}, the grant without its tokens (the
 * authorization request, the login, the scopes), written when the grant is made and
 * again only if those change; and {@code tokens}, rewritten by every refresh and code
 * exchange. A refresh so writes about half the bytes it would write for the whole grant.
 *
 * <p>
 * {@code oauth_token} only grows while its grant lives: a refresh adds the new tokens' hashes
 * and neither changes nor deletes the old ones (which would cost an index search and a dead
 * row per token). A token found there counts only if it is still its grant's current token
 * of that type. Refresh tokens rotate, so a refresh token found but no longer current was
 * replaced: presenting it again is a sign that it was stolen, and the whole family (the
 * authorization, with every token it holds) is revoked. Two concurrent uses of one
 * refresh token cannot both succeed: a save carries the version it read, and a save
 * based on a stale version fails with {@code invalid_grant}.
 *
 * <p>
 * Every change or revocation of a grant is announced to all replicas (topic
 * {@value #CACHE_TOPIC}, key the grant's id) by the statement or transaction that makes
 * it, so each drops the grant's cached access token within moments of the commit; the
 * cache's lifetime ({@code hitotsu.grants.token-cache-ttl}) only bounds a notification
 * that was lost.
 */
@Component
public class PostgresAuthorizationService implements OAuth2AuthorizationService {

	private static final Logger logger = LoggerFactory.getLogger(PostgresAuthorizationService.class);

	/** Attribute holding the row version an authorization object was read at. */
	static final String VERSION = "hitotsu.version";

	/**
	 * The row version kept inside {@code data}, where releases before V190 read it from: one
	 * that no row has, so that a replica of such a release, still serving during a rolling
	 * upgrade, fails to save over a grant stored in two parts (its save answers
	 * {@code invalid_grant}) instead of writing the whole grant beside newer tokens. Goes with
	 * the {@code rotated} column, once no release before V190 can run.
	 */
	private static final int VERSION_FOR_EARLIER_RELEASES = -1;

	/** Invalidation topic; the key is the grant's id. */
	static final String CACHE_TOPIC = "grant";

	/** How long an authorization request waiting for login or consent is kept. */
	private static final Duration PENDING_LIFETIME = Duration.ofMinutes(30);

	private static final ObjectInputFilter ALLOWED_CLASSES = ObjectInputFilter.Config
		.createFilter("java.**;javax.**;org.springframework.**;jp.hitotsu.**;com.nimbusds.**;maxdepth=30;!*");

	private final JdbcClient jdbc;

	private final Clock clock;

	private final StatelessClientTokens statelessTokens;

	/**
	 * Grants already deserialised, by id, with their row version: every change bumps the
	 * version, so an entry can never be served stale, on this instance or after a change
	 * made by another. One entry per grant (a new version replaces the old), weighed by its
	 * stored size: a refresh every few seconds per person would otherwise fill the heap with
	 * versions no one reads again.
	 */
	private final Cache<String, Decoded> decoded;

	/**
	 * Grants by the hash of their current access token, for UserInfo and introspection,
	 * which would otherwise read the grant at every call. An entry lives until the token
	 * expires and at most {@code hitotsu.grants.token-cache-ttl}; every change or revocation
	 * of a grant, in this process or another, removes it (a revoked token is refused at its
	 * next use). Should another replica's notification be lost, that TTL bounds how long its
	 * revocation takes to reach this one.
	 */
	private final Cache<String, CachedGrant> byAccessToken;

	/** The cache key of each cached grant's access token, to drop it when the grant changes. */
	private final Map<String, String> accessTokenOfGrant = new ConcurrentHashMap<>();

	/** Counts changes and revocations, so that a read racing with one is not cached. */
	private final AtomicLong forgotten = new AtomicLong();

	private final CacheInvalidations invalidations;

	private final AuditTrail audit;

	PostgresAuthorizationService(JdbcClient jdbc, Clock clock, StatelessClientTokens statelessTokens,
			GrantStorageProperties properties, CacheInvalidations invalidations, AuditTrail audit) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.invalidations = invalidations;
		this.clock = clock;
		this.statelessTokens = statelessTokens;
		this.decoded = Caffeine.newBuilder()
			.maximumWeight(properties.cacheSize().toBytes())
			.weigher((String id, Decoded grant) -> grant.storedSize())
			.expireAfterAccess(Duration.ofMinutes(10))
			.build();
		Duration maxTtl = properties.tokenCacheTtl();
		this.byAccessToken = Caffeine.newBuilder()
			.maximumSize(properties.tokenCacheSize())
			.expireAfter(Expiry.<String, CachedGrant>creating((key, entry) -> {
				Duration untilExpiry = Duration.between(clock.instant(), entry.expiresAt());
				return untilExpiry.compareTo(maxTtl) < 0 ? (untilExpiry.isNegative() ? Duration.ZERO : untilExpiry)
						: maxTtl;
			}))
			// the removal listener runs in the thread that removes, not later on another: run
			// late, the listener of an entry dropped (say, by forgetAll) could remove the mapping
			// that the same token's next use had just put back, and a later revocation of its
			// grant would no longer find the cached token (CacheInvalidationsTests caught it)
			.executor(Runnable::run)
			.removalListener((String key, CachedGrant entry, RemovalCause cause) -> {
				if (entry != null) {
					this.accessTokenOfGrant.remove(entry.authorizationId(), key);
				}
			})
			.build();
		invalidations.subscribe(CACHE_TOPIC, this::forget, this::forgetAll);
	}

	/**
	 * Stores a grant and its token hashes in one statement (so in one round trip and
	 * atomically, without a transaction around it); a client-credentials grant is not
	 * stored at all.
	 */
	@Override
	public void save(OAuth2Authorization authorization) {
		String realm = RealmContext.require().name();
		if (StatelessClientTokens.isStateless(authorization)) {
			this.statelessTokens.save(realm, authorization);
			forget(authorization.getId());
			return;
		}
		store(realm, authorization);
	}

	private void store(String realm, OAuth2Authorization authorization) {
		Integer readVersion = authorization.getAttribute(VERSION);
		int newVersion = (readVersion != null) ? readVersion + 1 : 1;
		OAuth2Authorization toStore = OAuth2Authorization.from(authorization).attribute(VERSION, newVersion).build();
		// a refresh or code exchange changes only the tokens: the grant itself (its request,
		// the login, the scopes), half of the bytes, is written once and not again
		Decoded previous = (readVersion != null) ? this.decoded.getIfPresent(toStore.getId()) : null;
		boolean grantUnchanged = previous != null && previous.version() == readVersion && previous.grantStoredApart()
				&& sameGrant(previous.authorization(), toStore);
		byte[] data = grantUnchanged ? null : serialize(withoutTokens(toStore));
		byte[] tokenData = serialize(tokensOf(toStore));
		int storedSize = tokenData.length + (grantUnchanged ? previous.grantSize() : data.length);
		Timestamp expiresAt = Timestamp.from(expiry(toStore));
		String sessionId = sessionId(toStore);
		Map<String, String> tokens = tokenValues(toStore);
		byte[][] hashes = new byte[tokens.size()][];
		String[] types = new String[tokens.size()];
		int i = 0;
		for (Map.Entry<String, String> token : tokens.entrySet()) {
			hashes[i] = hash(token.getKey());
			types[i++] = token.getValue();
		}
		int stored;
		if (readVersion == null) {
			stored = this.jdbc.sql("""
					with grant_row as (
					  insert into oauth_authorization (id, realm, registered_client_id, principal_name, grant_type,
					    session_id, data, tokens, version, expires_at)
					  values (:id, :realm, :client, :principal, :grant, :session, :data, :tokens, :version, :expires)
					  returning id
					), added as (
					  insert into oauth_token (token_hash, authorization_id, token_type)
					  select n.hash, g.id, n.type from grant_row g, unnest(:hashes, :types) as n(hash, type)
					  on conflict (token_hash) do nothing
					)
					select count(*) from grant_row
					""")
				.param("id", toStore.getId())
				.param("realm", realm)
				.param("client", toStore.getRegisteredClientId())
				.param("principal", toStore.getPrincipalName())
				.param("grant", toStore.getAuthorizationGrantType().getValue())
				.param("session", sessionId)
				.param("data", data)
				.param("tokens", tokenData)
				.param("version", newVersion)
				.param("expires", expiresAt)
				.param("hashes", sqlArray("bytea", hashes))
				.param("types", sqlArray("varchar", types))
				.query(Integer.class)
				.single();
		}
		else {
			// the version check, the grant, the hashes of its new tokens (the replaced ones stay,
			// see findByToken), and, for a revocation, the notice to every replica, sent when this
			// statement commits
			stored = this.jdbc.sql("""
					with grant_row as (
					  update oauth_authorization set data = coalesce(:data, data), tokens = :tokens, version = :version,
					    expires_at = :expires, session_id = :session
					  where id = :id and realm = :realm and version = :readVersion
					  returning id
					), added as (
					  insert into oauth_token (token_hash, authorization_id, token_type)
					  select n.hash, g.id, n.type from grant_row g, unnest(:hashes, :types) as n(hash, type)
					  on conflict (token_hash) do nothing
					), notified as (
					  select pg_notify(:channel, :payload) from grant_row where :announce
					)
					-- "announced" is not read: PostgreSQL runs a select in WITH only if something names it
					select (select count(*) from grant_row) as stored, (select count(*) from notified) as announced
					""")
				.param("announce", revokesAccessToken(toStore))
				.param("channel", CacheInvalidations.CHANNEL)
				.param("payload", CacheInvalidations.payload(CACHE_TOPIC, toStore.getId()))
				.param("data", new SqlParameterValue(Types.BINARY, data))
				.param("tokens", tokenData)
				.param("version", newVersion)
				.param("expires", expiresAt)
				.param("session", sessionId)
				.param("id", toStore.getId())
				.param("realm", realm)
				.param("readVersion", readVersion)
				.param("hashes", sqlArray("bytea", hashes))
				.param("types", sqlArray("varchar", types))
				.query((rs, row) -> rs.getInt("stored"))
				.single();
			// whatever this grant's access token was cached with is now stale
			forget(toStore.getId());
		}
		if (stored == 0) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
					"The grant was used concurrently or has been revoked", null));
		}
		// the next use of this grant (a refresh, UserInfo) reads this version: no need to
		// deserialise what was just written
		this.decoded.put(toStore.getId(),
				new Decoded(newVersion, toStore, storedSize, grantUnchanged ? previous.grantSize() : data.length, true));
	}

	/**
	 * Whether this save makes the grant's access token unusable while leaving it in place
	 * (a revocation), so that every replica must drop it from memory at once. A refresh or a
	 * code exchange only replaces the access token; another replica that answered for the
	 * replaced one may go on doing so until its cache entry ends
	 * ({@code hitotsu.grants.token-cache-ttl}), as a self-contained token stays valid until
	 * it expires. Those saves send no notice because PostgreSQL serialises the commits of
	 * every transaction that notifies, across the whole database cluster (a lock held until
	 * the commit is flushed): with one per refresh, every refresh of every replica would wait
	 * in one line.
	 */
	private static boolean revokesAccessToken(OAuth2Authorization authorization) {
		OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
		return accessToken != null && accessToken.isInvalidated();
	}

	private static SqlTypeValue sqlArray(String elementType, Object[] elements) {
		return new AbstractSqlTypeValue() {
			@Override
			protected Object createTypeValue(Connection connection, int sqlType, String typeName) throws SQLException {
				return connection.createArrayOf(elementType, elements);
			}
		};
	}

	@Override
	@Transactional
	public void remove(OAuth2Authorization authorization) {
		this.jdbc.sql("delete from oauth_authorization where id = :id").param("id", authorization.getId()).update();
		forget(authorization.getId());
		this.invalidations.publish(CACHE_TOPIC, authorization.getId());
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return RealmContext.current()
			.flatMap((realm) -> this.jdbc
				.sql("select data, tokens, version from oauth_authorization where id = :id and realm = :realm")
				.param("id", id)
				.param("realm", realm.name())
				.query((rs, row) -> decode(rs.getBytes("data"), rs.getBytes("tokens"), rs.getInt("version")))
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
		byte[] hash = hash(token);
		String cacheKey = realm + ":" + HexFormat.of().formatHex(hash);
		if (tokenType == null || OAuth2TokenType.ACCESS_TOKEN.equals(tokenType)) {
			CachedGrant cached = this.byAccessToken.getIfPresent(cacheKey);
			OAuth2Authorization authorization = (cached != null) ? decoded(cached.authorizationId(), cached.version())
					: null;
			if (authorization != null) {
				return authorization;
			}
		}
		long generation = this.forgotten.get();
		Optional<Found> found = this.jdbc.sql("""
				select a.id, a.version, a.data, a.tokens, t.token_type from oauth_token t
				join oauth_authorization a on a.id = t.authorization_id
				where t.token_hash = :hash and a.realm = :realm
				""")
			.param("hash", hash)
			.param("realm", realm)
			.query((rs, row) -> new Found(rs.getString("id"), rs.getInt("version"), rs.getBytes("data"),
					rs.getBytes("tokens"), rs.getString("token_type")))
			.optional();
		if (found.isEmpty()) {
			boolean mayBeAccessToken = tokenType == null || OAuth2TokenType.ACCESS_TOKEN.equals(tokenType);
			return mayBeAccessToken ? this.statelessTokens.find(realm, token).orElse(null) : null;
		}
		Found hit = found.get();
		OAuth2Authorization authorization = decoded(hit.authorizationId(), hit.version());
		if (authorization == null) {
			authorization = decode(hit.data(), hit.tokens(), hit.version());
			boolean apart = hit.tokens() != null;
			this.decoded.put(hit.authorizationId(), new Decoded(hit.version(), authorization,
					hit.data().length + (apart ? hit.tokens().length : 0), hit.data().length, apart));
		}
		boolean current = hit.tokenType().equals(tokenValues(authorization).get(token));
		if (!current && OAuth2ParameterNames.REFRESH_TOKEN.equals(hit.tokenType())) {
			this.jdbc.sql("""
					with gone as (
					  delete from oauth_authorization where id = :id returning id
					), notified as (
					  select pg_notify(:channel, :payload) from gone
					)
					select count(*) from notified
					""")
				.param("id", hit.authorizationId())
				.param("channel", CacheInvalidations.CHANNEL)
				.param("payload", CacheInvalidations.payload(CACHE_TOPIC, hit.authorizationId()))
				.query(Integer.class)
				.single();
			forget(hit.authorizationId());
			logger.warn("A rotated refresh token of realm '{}' was presented again; its whole grant {} is revoked",
					realm, hit.authorizationId());
			return null;
		}
		if (!current || (tokenType != null && !tokenType.getValue().equals(hit.tokenType()))) {
			return null;
		}
		if (OAuth2TokenType.ACCESS_TOKEN.getValue().equals(hit.tokenType())) {
			remember(cacheKey, generation, hit.version(), authorization);
		}
		return authorization;
	}

	/** The grant deserialised earlier, if it is still this version and still in memory. */
	private OAuth2Authorization decoded(String authorizationId, int version) {
		Decoded grant = this.decoded.getIfPresent(authorizationId);
		return (grant != null && grant.version() == version) ? grant.authorization() : null;
	}

	/**
	 * Keeps the grant of an access token for its next use (UserInfo, introspection), unless
	 * a grant was changed or revoked while it was being read (it could be this one).
	 */
	private void remember(String cacheKey, long generation, int version, OAuth2Authorization authorization) {
		OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
		if (accessToken == null || accessToken.getToken().getExpiresAt() == null || !accessToken.isActive()) {
			return;
		}
		CachedGrant entry = new CachedGrant(authorization.getId(), version, accessToken.getToken().getExpiresAt());
		this.byAccessToken.put(cacheKey, entry);
		this.accessTokenOfGrant.put(authorization.getId(), cacheKey);
		if (this.forgotten.get() != generation) {
			// a change raced with this read: it may have removed its entry before this one was put
			this.byAccessToken.invalidate(cacheKey);
		}
	}

	/** Drops the cached access token of a grant that was changed or revoked, here or elsewhere. */
	private void forget(String authorizationId) {
		this.forgotten.incrementAndGet();
		String cacheKey = this.accessTokenOfGrant.remove(authorizationId);
		if (cacheKey != null) {
			this.byAccessToken.invalidate(cacheKey);
		}
	}

	/** Drops every cached access token: changes may have been missed. */
	private void forgetAll() {
		this.forgotten.incrementAndGet();
		this.byAccessToken.invalidateAll();
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

	/** Ends every grant made during a login session that ended, and records the logout with it. */
	@EventListener
	@Transactional
	public void onLogout(RealmLogoutEvent event) {
		List<String> revoked = revoke(this.jdbc
			.sql("delete from oauth_authorization where realm = :realm and session_id = :session returning id")
			.param("realm", event.principal().realm())
			.param("session", event.principal().sessionId()));
		this.audit.record(AuditEvent.of(event.principal().realm(), AuditEventType.LOGOUT)
			.subject(event.principal().subject())
			.username(event.principal().username())
			.session(event.principal().sessionId())
			.detail("reason", event.reason())
			.detail("revokedGrants", revoked.size())
			.build());
		logger.debug("Logout from realm '{}' revoked {} grants", event.principal().realm(), revoked.size());
	}

	/**
	 * A disabled account keeps no grant: its refresh tokens, and the access tokens that
	 * introspection and UserInfo look up, end in the transaction that disabled it.
	 */
	@EventListener
	@Transactional
	public void onAccountDisabled(AccountDisabledEvent event) {
		List<String> revoked = revoke(this.jdbc
			.sql("delete from oauth_authorization where realm = :realm and principal_name = :subject returning id")
			.param("realm", event.realm())
			.param("subject", event.subject()));
		logger.debug("Disabling an account of realm '{}' revoked {} grants", event.realm(), revoked.size());
	}

	/**
	 * Grants of a person that still hold a usable access or refresh token (not those waiting
	 * for a login or consent), newest first.
	 */
	List<LiveGrant> liveGrants(String realm, String principalName) {
		return this.jdbc.sql("""
				select a.id, a.registered_client_id, a.created_at from oauth_authorization a
				where a.realm = :realm and a.principal_name = :principal and a.expires_at > :now
				  and exists (select 1 from oauth_token t where t.authorization_id = a.id
				    and t.token_type in ('access_token', 'refresh_token'))
				order by a.created_at desc
				""")
			.param("realm", realm)
			.param("principal", principalName)
			.param("now", Timestamp.from(this.clock.instant()))
			.query((rs, row) -> new LiveGrant(rs.getString("id"), rs.getString("registered_client_id"),
					rs.getTimestamp("created_at").toInstant()))
			.list();
	}

	/** A grant that holds tokens, by its client. */
	record LiveGrant(String id, String registeredClientId, Instant created) {
	}

	/**
	 * Ends every grant one client holds for one person (refresh tokens, and the access tokens
	 * introspection and UserInfo look up), on every instance.
	 * @return how many ended
	 */
	@Transactional
	int revokeClientGrantsOf(String realm, String registeredClientId, String principalName) {
		return revoke(this.jdbc.sql("""
				delete from oauth_authorization
				where realm = :realm and registered_client_id = :client and principal_name = :principal returning id
				""").param("realm", realm).param("client", registeredClientId).param("principal", principalName))
			.size();
	}

	/** A deleted client keeps no grant: its refresh tokens end with it, on every instance. */
	@Transactional
	void revokeClient(String realm, String registeredClientId) {
		List<String> revoked = revoke(this.jdbc
			.sql("delete from oauth_authorization where realm = :realm and registered_client_id = :client returning id")
			.param("realm", realm)
			.param("client", registeredClientId));
		logger.debug("Deleting a client of realm '{}' revoked {} grants", realm, revoked.size());
	}

	/**
	 * Runs a {@code delete ... returning id} of grants and forgets them here and, once the
	 * caller's transaction commits, on every other instance.
	 */
	private List<String> revoke(JdbcClient.StatementSpec delete) {
		List<String> revoked = delete.query(String.class).list();
		revoked.forEach(this::forget);
		revoked.forEach((id) -> this.invalidations.publish(CACHE_TOPIC, id));
		return revoked;
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

	/**
	 * Whether two versions of a grant differ only in their tokens: the attributes' values
	 * are compared with {@code equals}, which for most is identity, and a copied grant keeps
	 * the same instances.
	 */
	private static boolean sameGrant(OAuth2Authorization stored, OAuth2Authorization next) {
		Map<String, Object> storedAttributes = new HashMap<>(stored.getAttributes());
		Map<String, Object> nextAttributes = new HashMap<>(next.getAttributes());
		storedAttributes.remove(VERSION);
		nextAttributes.remove(VERSION);
		return stored.getPrincipalName().equals(next.getPrincipalName())
				&& stored.getAuthorizationGrantType().equals(next.getAuthorizationGrantType())
				&& stored.getAuthorizedScopes().equals(next.getAuthorizedScopes())
				&& storedAttributes.equals(nextAttributes);
	}

	/**
	 * The grant without its tokens, as stored in {@code data}, carrying
	 * {@link #VERSION_FOR_EARLIER_RELEASES} instead of its row version.
	 */
	private static OAuth2Authorization withoutTokens(OAuth2Authorization authorization) {
		return new TokenlessBuilder(authorization.getRegisteredClientId()).id(authorization.getId())
			.principalName(authorization.getPrincipalName())
			.authorizationGrantType(authorization.getAuthorizationGrantType())
			.authorizedScopes(authorization.getAuthorizedScopes())
			.attributes((attributes) -> {
				attributes.putAll(authorization.getAttributes());
				attributes.put(VERSION, VERSION_FOR_EARLIER_RELEASES);
			})
			.build();
	}

	/** The grant's tokens with their metadata, as stored in {@code tokens}. */
	private static ArrayList<OAuth2Authorization.Token<?>> tokensOf(OAuth2Authorization authorization) {
		ArrayList<OAuth2Authorization.Token<?>> tokens = new ArrayList<>();
		for (Class<? extends AbstractOAuth2Token> type : TokenTypes.ALL.keySet()) {
			OAuth2Authorization.Token<? extends AbstractOAuth2Token> token = authorization.getToken(type);
			if (token != null) {
				tokens.add(token);
			}
		}
		return tokens;
	}

	/**
	 * The grant from its stored parts. A row written before grants and tokens were stored
	 * apart has everything in {@code data} and no {@code tokens}.
	 */
	static OAuth2Authorization decode(byte[] data, byte[] tokens, int version) {
		OAuth2Authorization.Builder grant = OAuth2Authorization.from((OAuth2Authorization) deserialize(data))
			.attribute(VERSION, version);
		if (tokens != null) {
			for (Object stored : (List<?>) deserialize(tokens)) {
				OAuth2Authorization.Token<?> token = (OAuth2Authorization.Token<?>) stored;
				grant.token(token.getToken(), (metadata) -> metadata.putAll(token.getMetadata()));
			}
		}
		return grant.build();
	}

	private static byte[] serialize(Serializable value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot serialize a grant's " + value.getClass().getSimpleName(), ex);
		}
		return bytes.toByteArray();
	}

	private static Object deserialize(byte[] data) {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
			in.setObjectInputFilter(ALLOWED_CLASSES);
			return in.readObject();
		}
		catch (IOException | ClassNotFoundException ex) {
			throw new IllegalStateException("A stored authorization cannot be read", ex);
		}
	}

	/**
	 * A grant as read or written, with the stored sizes of it all and of its tokenless part,
	 * and whether that part is stored without tokens (a row written before they were stored
	 * apart has them in {@code data} and gets a new {@code data} at its next save).
	 */
	private record Decoded(int version, OAuth2Authorization authorization, int storedSize, int grantSize,
			boolean grantStoredApart) {
	}

	private record Found(String authorizationId, int version, byte[] data, byte[] tokens, String tokenType) {
	}

	/** Opens {@link OAuth2Authorization.Builder}'s constructor, to build a grant without its tokens. */
	private static final class TokenlessBuilder extends OAuth2Authorization.Builder {

		TokenlessBuilder(String registeredClientId) {
			super(registeredClientId);
		}

	}

	/** An access token's grant: the grant itself stays in {@link #decoded}, which bounds the memory. */
	private record CachedGrant(String authorizationId, int version, Instant expiresAt) {
	}

}
