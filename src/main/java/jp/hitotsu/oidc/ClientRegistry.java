package jp.hitotsu.oidc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jp.hitotsu.cluster.CacheInvalidations;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmJson;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.keygen.BytesKeyGenerator;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Clients registered at runtime (the admin API), beside those of the realm files. They are
 * checked like a realm file's clients (the same definition record, the zone's rules), and
 * within the realm's token lifetimes. A client's {@code source} says where it is managed:
 * provisioning the realm files never touches an {@code admin-api} client, and the API
 * changes no {@code realm-file} client (the next start with the file would undo it).
 *
 * <p>
 * Every change notifies every instance (topic {@code clients}) in its transaction; the
 * caller's transaction, when there is one, so that its audit event commits with it.
 */
@Service
public class ClientRegistry {

	public static final String SOURCE_REALM_FILE = "realm-file";

	public static final String SOURCE_ADMIN_API = "admin-api";

	static final Set<String> TYPES = Set.of("confidential", "public");

	static final Set<String> SECRET_METHODS = Set.of("client_secret_basic", "client_secret_post");

	private static final int MAX_NAME = 200;

	private static final int MAX_ROLE = 255;

	/** 256 random bits: the SHA-256 of such a secret is as good as a slow hash (see ClientSecretEncoder). */
	private static final BytesKeyGenerator SECRETS = KeyGenerators.secureRandom(32);

	private final JdbcClient jdbc;

	private final RealmRegistry realms;

	private final CacheInvalidations invalidations;

	private final PostgresAuthorizationService authorizations;

	private final PasswordEncoder secretEncoder = ClientSecretEncoder.create();

	private final ObjectProvider<ClientInputCheck> checks;

	ClientRegistry(JdbcClient jdbc, RealmRegistry realms, CacheInvalidations invalidations,
			PostgresAuthorizationService authorizations, ObjectProvider<ClientInputCheck> checks) {
		this.jdbc = jdbc;
		this.realms = realms;
		this.invalidations = invalidations;
		this.authorizations = authorizations;
		this.checks = checks;
	}

	/**
	 * A page of the realm's clients in {@code client_id} order, after the id given (keyset
	 * paging: stable while clients come and go). Byte order ("C"), whatever the database's
	 * collation, so that pages never overlap or skip.
	 */
	public Page list(String realm, String after, int limit) {
		this.realms.get(realm);
		List<ClientView> clients = this.jdbc.sql("""
				select id, settings, secret_hash, source, created_at, updated_at from oauth_client
				where realm = :realm and client_id collate "C" > :after order by client_id collate "C" limit :limit
				""")
			.param("realm", realm)
			.param("after", (after != null) ? after : "")
			.param("limit", limit + 1)
			.query((rs, row) -> row(rs).view())
			.list();
		String next = null;
		if (clients.size() > limit) {
			clients = clients.subList(0, limit);
			next = clients.get(limit - 1).clientId();
		}
		return new Page(clients, next);
	}

	public Optional<ClientView> find(String realm, String clientId) {
		this.realms.get(realm);
		return stored(realm, clientId, false).map(Row::view);
	}

	/** Registers a new client; a confidential one gets a secret, returned this once. */
	@Transactional
	public Registered register(String realm, ClientInput input) {
		Realm settings = this.realms.get(realm);
		String secret = null;
		String secretHash = null;
		if (!"public".equals(input.type())) {
			secret = newSecret();
			secretHash = this.secretEncoder.encode(secret);
		}
		ClientDefinition definition = check(settings, input, secretHash, null);
		int inserted = this.jdbc.sql("""
				insert into oauth_client (id, realm, client_id, secret_hash, settings, source)
				values (:id, :realm, :clientId, :secretHash, cast(:settings as jsonb), :source)
				on conflict (realm, client_id) do nothing
				""")
			.param("id", UUID.randomUUID().toString())
			.param("realm", realm)
			.param("clientId", definition.clientId())
			.param("secretHash", secretHash)
			.param("settings", RealmJson.write(definition))
			.param("source", SOURCE_ADMIN_API)
			.update();
		if (inserted == 0) {
			throw new ClientConflictException(realm, definition.clientId(), ClientConflictException.Reason.EXISTS);
		}
		this.invalidations.publish(RealmClientRepository.CACHE_TOPIC, realm);
		return new Registered(stored(realm, definition.clientId(), false).orElseThrow().view(), secret);
	}

	/** Replaces a client registered through the API; its secret stays. */
	@Transactional
	public ClientView update(String realm, String clientId, ClientInput input) {
		Realm settings = this.realms.get(realm);
		Row row = changeable(realm, clientId);
		ClientDefinition definition = check(settings, input.withClientId(clientId), row.secretHash(),
				row.definition().isPublic() ? "public" : "confidential");
		this.jdbc.sql("update oauth_client set settings = cast(:settings as jsonb), updated_at = now() where id = :id")
			.param("settings", RealmJson.write(definition))
			.param("id", row.id())
			.update();
		this.invalidations.publish(RealmClientRepository.CACHE_TOPIC, realm);
		return stored(realm, clientId, false).orElseThrow().view();
	}

	/** Gives a confidential client a new secret (returned this once); the old one stops working at once. */
	@Transactional
	public String rotateSecret(String realm, String clientId) {
		this.realms.get(realm);
		Row row = changeable(realm, clientId);
		if (row.definition().isPublic()) {
			throw new InvalidClientInputException(List.of(ClientInputError.of("type", "public-no-secret", clientId)));
		}
		String secret = newSecret();
		String hash = this.secretEncoder.encode(secret);
		this.jdbc.sql("""
				update oauth_client set secret_hash = :hash, settings = cast(:settings as jsonb), updated_at = now()
				where id = :id
				""")
			.param("hash", hash)
			.param("settings", RealmJson.write(row.definition().withSecretHash(hash)))
			.param("id", row.id())
			.update();
		this.invalidations.publish(RealmClientRepository.CACHE_TOPIC, realm);
		return secret;
	}

	/** Deletes a client registered through the API, with its grants and consents. */
	@Transactional
	public void delete(String realm, String clientId) {
		this.realms.get(realm);
		Row row = changeable(realm, clientId);
		this.authorizations.revokeClient(realm, row.id());
		this.jdbc.sql("delete from oauth_consent where realm = :realm and registered_client_id = :id")
			.param("realm", realm)
			.param("id", row.id())
			.update();
		this.jdbc.sql("delete from oauth_client where id = :id").param("id", row.id()).update();
		this.invalidations.publish(RealmClientRepository.CACHE_TOPIC, realm);
	}

	private Row changeable(String realm, String clientId) {
		Row row = stored(realm, clientId, true).orElseThrow(() -> new UnknownClientException(realm, clientId));
		if (!SOURCE_ADMIN_API.equals(row.source())) {
			throw new ClientConflictException(realm, clientId, ClientConflictException.Reason.REALM_FILE);
		}
		return row;
	}

	private Optional<Row> stored(String realm, String clientId, boolean forUpdate) {
		return this.jdbc.sql("""
				select id, settings, secret_hash, source, created_at, updated_at from oauth_client
				where realm = :realm and client_id = :clientId
				""" + (forUpdate ? " for update" : ""))
			.param("realm", realm)
			.param("clientId", clientId)
			.query((rs, n) -> row(rs))
			.optional();
	}

	private static Row row(ResultSet rs) throws SQLException {
		return new Row(rs.getString("id"), RealmJson.read(rs.getString("settings"), ClientDefinition.class),
				rs.getString("secret_hash"), rs.getString("source"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}

	private static String newSecret() {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(SECRETS.generateKey());
	}

	/**
	 * The client as the realm would hold it, or every reason it cannot be. Field by field
	 * first (each bad field listed), then the whole through the realm file's own checks and
	 * the zone's rules, which name the rule.
	 * @param storedType the type of the client being replaced, {@code null} on register
	 */
	private ClientDefinition check(Realm realm, ClientInput input, String secretHash, String storedType) {
		List<ClientInputError> errors = new ArrayList<>();
		if (!ClientDefinition.isValidClientId(input.clientId())) {
			errors.add(ClientInputError.of("clientId", "client-id", String.valueOf(input.clientId())));
		}
		if (input.name() != null && input.name().length() > MAX_NAME) {
			errors.add(ClientInputError.of("name", "length", MAX_NAME));
		}
		String type = (input.type() != null) ? input.type() : (storedType != null) ? storedType : "confidential";
		if (!TYPES.contains(type)) {
			errors.add(ClientInputError.of("type", "not-one-of", type, String.join(", ", sorted(TYPES))));
		}
		else if (storedType != null && !storedType.equals(type)) {
			errors.add(ClientInputError.of("type", "type-fixed", storedType));
		}
		boolean isPublic = "public".equals(type);
		String method = (input.authenticationMethod() != null) ? input.authenticationMethod()
				: isPublic ? "none" : "client_secret_basic";
		if (isPublic ? !"none".equals(method) : !SECRET_METHODS.contains(method)) {
			errors.add(ClientInputError.of("authenticationMethod", "not-one-of", method,
					isPublic ? "none" : String.join(", ", sorted(SECRET_METHODS))));
		}
		List<String> grantTypes = listOrEmpty(input.grantTypes());
		if (grantTypes.isEmpty()) {
			errors.add(ClientInputError.of("grantTypes", "required"));
		}
		for (int i = 0; i < grantTypes.size(); i++) {
			String grant = grantTypes.get(i);
			if (!ClientDefinition.GRANT_TYPES.contains(grant)) {
				errors.add(ClientInputError.of("grantTypes[" + i + "]", "not-one-of", grant,
						String.join(", ", sorted(ClientDefinition.GRANT_TYPES))));
			}
			else if (isPublic && grant.equals("client_credentials")) {
				errors.add(ClientInputError.of("grantTypes[" + i + "]", "public-client-credentials"));
			}
		}
		List<String> redirectUris = listOrEmpty(input.redirectUris());
		if (grantTypes.contains("authorization_code") && redirectUris.isEmpty()) {
			errors.add(ClientInputError.of("redirectUris", "redirect-required"));
		}
		uris("redirectUris", redirectUris, errors);
		uris("postLogoutRedirectUris", listOrEmpty(input.postLogoutRedirectUris()), errors);
		if (input.backchannelLogoutUri() != null && !ClientDefinition.isValidLogoutUri(input.backchannelLogoutUri())) {
			errors.add(ClientInputError.of("backchannelLogoutUri", "logout-uri", input.backchannelLogoutUri()));
		}
		if (input.frontchannelLogoutUri() != null
				&& !ClientDefinition.isValidFrontchannelLogoutUri(input.frontchannelLogoutUri(), redirectUris)) {
			errors.add(ClientInputError.of("frontchannelLogoutUri", "frontchannel-logout-uri",
					input.frontchannelLogoutUri()));
		}
		List<String> scopes = listOrEmpty(input.scopes());
		for (int i = 0; i < scopes.size(); i++) {
			if (!ClientDefinition.isValidScope(scopes.get(i))) {
				errors.add(ClientInputError.of("scopes[" + i + "]", "scope", scopes.get(i)));
			}
		}
		List<String> roles = listOrEmpty(input.roles());
		for (int i = 0; i < roles.size(); i++) {
			if (roles.get(i).isBlank() || roles.get(i).length() > MAX_ROLE) {
				errors.add(ClientInputError.of("roles[" + i + "]", "length", MAX_ROLE));
			}
		}
		List<String> audiences = listOrEmpty(input.tokenExchangeAudiences());
		for (int i = 0; i < audiences.size(); i++) {
			if (!ClientDefinition.isValidClientId(audiences.get(i))) {
				errors.add(ClientInputError.of("tokenExchangeAudiences[" + i + "]", "client-id", audiences.get(i)));
			}
		}
		if (input.minimumIal() != null && (input.minimumIal() < 1 || input.minimumIal() > 3)) {
			errors.add(ClientInputError.of("minimumIal", "not-one-of", input.minimumIal(), "1, 2, 3"));
		}
		Duration access = lifetime("accessTokenLifetime", input.accessTokenLifetime(),
				realm.tokens().accessTokenLifetime(), errors);
		Duration refresh = lifetime("refreshTokenLifetime", input.refreshTokenLifetime(),
				realm.tokens().refreshTokenLifetime(), errors);
		this.checks.orderedStream().forEach((check) -> errors.addAll(check.check(realm, input)));
		if (!errors.isEmpty()) {
			throw new InvalidClientInputException(errors);
		}
		ClientDefinition definition;
		try {
			definition = new ClientDefinition(input.clientId(), input.name(), null, isPublic ? null : secretHash,
					List.of(method), grantTypes, redirectUris, listOrEmpty(input.postLogoutRedirectUris()), scopes,
					roles, Boolean.TRUE.equals(input.requireConsent()), input.requirePkce(), null, null, null, access,
					refresh, null, Boolean.TRUE.equals(input.requireVerifiedEmail()),
					Boolean.TRUE.equals(input.requirePushedAuthorizationRequests()), audiences,
					input.backchannelLogoutUri(), Boolean.TRUE.equals(input.backchannelLogoutSessionRequired()),
					input.frontchannelLogoutUri(), Boolean.TRUE.equals(input.frontchannelLogoutSessionRequired()),
					Boolean.TRUE.equals(input.verifiedClaims()), input.minimumIal());
			realm.checkClient(definition);
		}
		catch (IllegalArgumentException ex) {
			// a rule across fields (the realm file's or the zone's): its message names it
			throw new InvalidClientInputException(List.of(ClientInputError.of("client", "rule", ex.getMessage())));
		}
		return definition;
	}

	private static void uris(String field, List<String> uris, List<ClientInputError> errors) {
		for (int i = 0; i < uris.size(); i++) {
			if (!ClientDefinition.isValidRedirectUri(uris.get(i))) {
				errors.add(ClientInputError.of(field + "[" + i + "]", "redirect-uri", uris.get(i)));
			}
		}
	}

	private static Duration lifetime(String field, String value, Duration realmLimit, List<ClientInputError> errors) {
		if (value == null || value.isBlank()) {
			return null;
		}
		Duration lifetime;
		try {
			lifetime = DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			errors.add(ClientInputError.of(field, "duration", value));
			return null;
		}
		if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(realmLimit) > 0) {
			errors.add(ClientInputError.of(field, "lifetime", value, realmLimit.toString()));
			return null;
		}
		return lifetime;
	}

	private static List<String> listOrEmpty(List<String> list) {
		return (list != null) ? list.stream().map(String::valueOf).toList() : List.of();
	}

	private static List<String> sorted(Set<String> values) {
		return values.stream().sorted().toList();
	}

	/** A client as the admin API shows it: everything but its secret. */
	public record ClientView(String clientId, String name, String type, String authenticationMethod,
			List<String> redirectUris, List<String> postLogoutRedirectUris, List<String> grantTypes,
			List<String> scopes, List<String> roles, String accessTokenLifetime, String refreshTokenLifetime,
			boolean requirePkce, boolean requireConsent, boolean requireVerifiedEmail,
			boolean requirePushedAuthorizationRequests, List<String> tokenExchangeAudiences,
			String backchannelLogoutUri, boolean backchannelLogoutSessionRequired, String frontchannelLogoutUri,
			boolean frontchannelLogoutSessionRequired, boolean verifiedClaims, int minimumIal, String source,
			Instant createdAt, Instant updatedAt) {
	}

	/** A page of clients; {@code next} is the {@code after} of the next page, absent on the last. */
	public record Page(List<ClientView> clients, String next) {
	}

	/** A client just registered, with its secret (absent for a public client), shown this once. */
	public record Registered(ClientView client, String secret) {
	}

	private record Row(String id, ClientDefinition definition, String secretHash, String source, Instant createdAt,
			Instant updatedAt) {

		ClientView view() {
			ClientDefinition d = this.definition;
			return new ClientView(d.clientId(), d.name(), d.isPublic() ? "public" : "confidential",
					String.join(" ", d.authenticationMethods()), d.redirectUris(), d.postLogoutRedirectUris(),
					d.grantTypes(), d.scopes(), d.roles(), text(d.accessTokenLifetime()),
					text(d.refreshTokenLifetime()), Boolean.TRUE.equals(d.requirePkce()), d.requireConsent(),
					d.requireVerifiedEmail(), d.requirePushedAuthorizationRequests(), d.tokenExchangeAudiences(),
					d.backchannelLogoutUri(), d.backchannelLogoutSessionRequired(), d.frontchannelLogoutUri(),
					d.frontchannelLogoutSessionRequired(), d.verifiedClaims(), d.minimumIal(), this.source,
					this.createdAt, this.updatedAt);
		}

		private static String text(Duration duration) {
			return (duration != null) ? duration.toString() : null;
		}

	}

}
