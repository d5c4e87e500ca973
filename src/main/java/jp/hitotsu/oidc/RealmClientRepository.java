package jp.hitotsu.oidc;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jp.hitotsu.cluster.CacheInvalidations;
import jp.hitotsu.cluster.CacheProperties;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.realm.RealmJson;
import jp.hitotsu.realm.RealmProvisionedEvent;
import jp.hitotsu.realm.RealmRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The clients of each realm, stored in PostgreSQL and held in memory for the token path.
 * Lookups only ever see the clients of the request's realm: a {@code staff} client is
 * unknown ({@code invalid_client}) at the {@code citizen} issuer.
 *
 * <p>
 * A realm's clients are read again when any process announces a change of them (topic
 * {@value #CACHE_TOPIC}, key the realm), when the realm's settings changed (the clients
 * are built with them), and at the latest after {@code hitotsu.cache.refresh}.
 */
@Component
public class RealmClientRepository implements RegisteredClientRepository {

	private static final Logger logger = LoggerFactory.getLogger(RealmClientRepository.class);

	/** Client setting: the roles the client may see in its tokens. */
	static final String VISIBLE_ROLES = "hitotsu.visible-roles";

	static final String REQUIRE_VERIFIED_EMAIL = "hitotsu.require-verified-email";

	static final String VERIFIED_CLAIMS = "hitotsu.verified-claims";

	/** Token setting: ID token lifetime (the authorization server has none of its own). */
	static final String ID_TOKEN_LIFETIME = "hitotsu.id-token-lifetime";

	private final JdbcClient jdbc;

	private final RealmRegistry realms;

	private final PasswordEncoder secrets = ClientSecretEncoder.create();

	/** Invalidation topic; the key is the realm's name. */
	static final String CACHE_TOPIC = "clients";

	private final CacheInvalidations invalidations;

	private final long refreshNanos;

	private final Map<String, RealmClients> byRealm = new ConcurrentHashMap<>();

	/** Counts invalidations, so that a read racing with one is not kept. */
	private final AtomicLong invalidated = new AtomicLong();

	RealmClientRepository(JdbcClient jdbc, RealmRegistry realms, CacheInvalidations invalidations,
			CacheProperties cache) {
		this.jdbc = jdbc;
		this.realms = realms;
		this.invalidations = invalidations;
		this.refreshNanos = cache.refresh().toNanos();
		invalidations.subscribe(CACHE_TOPIC, this::forget, this::forgetAll);
	}

	private void forget(String realm) {
		this.invalidated.incrementAndGet();
		this.byRealm.remove(realm);
	}

	private void forgetAll() {
		this.invalidated.incrementAndGet();
		this.byRealm.clear();
	}

	PasswordEncoder secretEncoder() {
		return this.secrets;
	}

	@EventListener
	@Transactional
	public void onRealmProvisioned(RealmProvisionedEvent event) {
		String realm = event.definition().name();
		for (ClientDefinition client : event.definition().clients()) {
			ClientDefinition stored = (client.secret() != null)
					? client.withSecretHash(this.secrets.encode(client.secret())) : client;
			// a client registered through the admin API is managed there: the file does not
			// overwrite it (nor does the API change the file's clients)
			int written = this.jdbc.sql("""
					insert into oauth_client (id, realm, client_id, secret_hash, settings, source)
					values (:id, :realm, :clientId, :secretHash, cast(:settings as jsonb), :source)
					on conflict (realm, client_id) do update set secret_hash = excluded.secret_hash,
					  settings = excluded.settings, updated_at = now()
					where oauth_client.source = :source
					""")
				.param("id", UUID.randomUUID().toString())
				.param("realm", realm)
				.param("clientId", client.clientId())
				.param("secretHash", stored.secretHash())
				.param("settings", RealmJson.write(stored))
				.param("source", ClientRegistry.SOURCE_REALM_FILE)
				.update();
			if (written == 0) {
				logger.warn("Client '{}' of realm '{}' in the realm file is ignored: a client with that id was "
						+ "registered through the admin API; delete it there or rename the file's client",
						client.clientId(), realm);
			}
			else {
				logger.info("Client '{}' of realm '{}' registered from the realm file", client.clientId(), realm);
			}
		}
		this.invalidations.publish(CACHE_TOPIC, realm);
	}

	@Override
	@Transactional
	public void save(RegisteredClient client) {
		// called by the authorization server to upgrade a secret's hash after a successful check
		StoredClient stored = findStored(client.getId());
		if (stored == null) {
			throw new IllegalArgumentException("Client " + client.getClientId() + " is not registered");
		}
		this.jdbc.sql("update oauth_client set secret_hash = :hash, updated_at = now() where id = :id")
			.param("hash", client.getClientSecret())
			.param("id", client.getId())
			.update();
		this.invalidations.publish(CACHE_TOPIC, stored.realm());
	}

	@Override
	public RegisteredClient findById(String id) {
		StoredClient client = findStored(id);
		return (client != null) ? client.registeredClient() : null;
	}

	/** In the request's realm; outside any realm (the consent page), in any realm of the zone. */
	private StoredClient findStored(String id) {
		Optional<Realm> current = RealmContext.current();
		if (current.isPresent()) {
			return clientsOf(current.get().name()).byId().get(id);
		}
		for (Realm realm : this.realms.all()) {
			StoredClient client = clientsOf(realm.name()).byId().get(id);
			if (client != null) {
				return client;
			}
		}
		return null;
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return RealmContext.current()
			.map((realm) -> clientsOf(realm.name()).byClientId().get(clientId))
			.map(StoredClient::registeredClient)
			.orElse(null);
	}

	/** The realm's client as defined, for features that need more than the protocol view. */
	public Optional<ClientDefinition> definition(String realm, String clientId) {
		return Optional.ofNullable(clientsOf(realm).byClientId().get(clientId)).map(StoredClient::definition);
	}

	/** Every scope some client of the realm may request. */
	Set<String> scopes(String realm) {
		Set<String> scopes = new LinkedHashSet<>();
		clientsOf(realm).byClientId().values().forEach((client) -> scopes.addAll(client.definition().scopes()));
		return scopes;
	}

	/**
	 * The realm's clients as now held: another object whenever they were read again (a
	 * change, a refresh). Compared by identity, it tells a document built from them is stale.
	 */
	Object clientsSnapshot(String realm) {
		return clientsOf(realm);
	}

	/** Whether some client of the realm may receive {@code verified_claims}. */
	boolean anyReceivesVerifiedClaims(String realm) {
		return clientsOf(realm).byClientId().values().stream().anyMatch((client) -> client.definition().verifiedClaims());
	}

	@SuppressWarnings("unchecked")
	static List<String> visibleRoles(RegisteredClient client) {
		Object roles = client.getClientSettings().getSetting(VISIBLE_ROLES);
		return (roles instanceof List<?> list) ? (List<String>) list : List.of();
	}

	static boolean mayReceiveVerifiedClaims(RegisteredClient client) {
		return Boolean.TRUE.equals(client.getClientSettings().getSetting(VERIFIED_CLAIMS));
	}

	static boolean requiresVerifiedEmail(RegisteredClient client) {
		return Boolean.TRUE.equals(client.getClientSettings().getSetting(REQUIRE_VERIFIED_EMAIL));
	}

	static Duration idTokenLifetime(RegisteredClient client) {
		return client.getTokenSettings().getSetting(ID_TOKEN_LIFETIME);
	}

	/**
	 * The realm's clients as held in memory, read again when they were dropped, when they
	 * were built with other realm settings than the current ones, or when they are older
	 * than {@code hitotsu.cache.refresh}.
	 */
	private RealmClients clientsOf(String realmName) {
		Realm realm = this.realms.get(realmName);
		RealmClients held = this.byRealm.get(realmName);
		if (held != null && held.realm() == realm && System.nanoTime() - held.loadedAt() < this.refreshNanos) {
			return held;
		}
		long generation = this.invalidated.get();
		RealmClients loaded = load(realm);
		this.byRealm.put(realmName, loaded);
		if (this.invalidated.get() != generation) {
			// a change was announced while reading: what was read may predate it
			this.byRealm.remove(realmName, loaded);
		}
		return loaded;
	}

	private RealmClients load(Realm realm) {
		Map<String, StoredClient> byClientId = new java.util.HashMap<>();
		Map<String, StoredClient> byId = new java.util.HashMap<>();
		this.jdbc.sql("select id, settings, secret_hash from oauth_client where realm = :realm")
			.param("realm", realm.name())
			.query((rs) -> {
				ClientDefinition definition = RealmJson.read(rs.getString("settings"), ClientDefinition.class);
				StoredClient client = new StoredClient(realm.name(), definition,
						toRegisteredClient(rs.getString("id"), realm, definition, rs.getString("secret_hash")));
				byClientId.put(definition.clientId(), client);
				byId.put(client.registeredClient().getId(), client);
			});
		return new RealmClients(realm, Map.copyOf(byClientId), Map.copyOf(byId), System.nanoTime());
	}

	private static RegisteredClient toRegisteredClient(String id, Realm realm, ClientDefinition client,
			String secretHash) {
		SignatureAlgorithm idTokenAlgorithm = SignatureAlgorithm.from((client.idTokenSigningAlgorithm() != null)
				? client.idTokenSigningAlgorithm() : realm.tokens().signingAlgorithm());
		ClientSettings.Builder clientSettings = ClientSettings.builder()
			.requireProofKey(client.requirePkce())
			.requireAuthorizationConsent(client.requireConsent())
			.setting(VISIBLE_ROLES, client.roles())
			.setting(REQUIRE_VERIFIED_EMAIL, client.requireVerifiedEmail())
			.setting(VERIFIED_CLAIMS, client.verifiedClaims());
		if (client.jwksUri() != null) {
			// assertions verified with fetched keys must be RS256 (as discovery says)
			clientSettings.jwkSetUrl(client.jwksUri())
				.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256);
		}
		if (client.jwks() != null) {
			clientSettings.setting(ClientAssertionDecoders.INLINE_JWKS, RealmJson.write(client.jwks()));
		}
		TokenSettings tokenSettings = TokenSettings.builder()
			.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
			.accessTokenTimeToLive((client.accessTokenLifetime() != null) ? client.accessTokenLifetime()
					: realm.tokens().accessTokenLifetime())
			.refreshTokenTimeToLive((client.refreshTokenLifetime() != null) ? client.refreshTokenLifetime()
					: realm.tokens().refreshTokenLifetime())
			.authorizationCodeTimeToLive(realm.tokens().authorizationCodeLifetime())
			.reuseRefreshTokens(false)
			.idTokenSignatureAlgorithm(idTokenAlgorithm)
			.setting(ID_TOKEN_LIFETIME, realm.tokens().idTokenLifetime())
			.build();
		return RegisteredClient.withId(id)
			.clientId(client.clientId())
			.clientName(client.name())
			.clientSecret(secretHash)
			.clientAuthenticationMethods((methods) -> client.authenticationMethods()
				.forEach((method) -> methods.add(new ClientAuthenticationMethod(method))))
			.authorizationGrantTypes((grants) -> client.grantTypes()
				.forEach((grant) -> grants.add(new AuthorizationGrantType(grant))))
			.redirectUris((uris) -> uris.addAll(client.redirectUris()))
			.postLogoutRedirectUris((uris) -> uris.addAll(client.postLogoutRedirectUris()))
			.scopes((scopes) -> scopes.addAll(client.scopes()))
			.clientSettings(clientSettings.build())
			.tokenSettings(tokenSettings)
			.build();
	}

	private record StoredClient(String realm, ClientDefinition definition, RegisteredClient registeredClient) {
	}

	/** A realm's clients, with the realm settings they were built with and when they were read. */
	private record RealmClients(Realm realm, Map<String, StoredClient> byClientId, Map<String, StoredClient> byId,
			long loadedAt) {
	}

}
