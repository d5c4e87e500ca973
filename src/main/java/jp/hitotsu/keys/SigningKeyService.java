package jp.hitotsu.keys;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.cluster.CacheInvalidations;
import jp.hitotsu.realm.RealmProvisionedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each realm's signing keys: an RS256 key (what every OIDC client supports) and an ES256
 * key, created on first start, rotated on request, stored encrypted under the master key
 * and held in memory for the token and JWKS endpoints.
 *
 * <p>
 * Publish first, sign later: a rotation stores the new keys as {@code PUBLISHED} with an
 * activation time {@code hitotsu.keys.activation-delay} ahead and announces them to every
 * replica (topic {@value #CACHE_TOPIC}), which reloads its keys and serves them in its JWKS
 * at once. For each algorithm, the key that signs is the newest whose activation time has
 * passed; each replica reloads at that moment by itself. The first process to load the keys
 * after it then records the change ({@code ACTIVE}, the one before {@code RETIRED} as of the
 * activation time), which changes nothing of what is signed or published.
 */
@Service
public class SigningKeyService {

	private static final Logger logger = LoggerFactory.getLogger(SigningKeyService.class);

	static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

	/** Invalidation topic; the key is the realm's name. */
	public static final String CACHE_TOPIC = "keys";

	private final JdbcClient jdbc;

	private final MasterKey masterKey;

	private final KeyProperties properties;

	private final Clock clock;

	private final CacheInvalidations invalidations;

	private final TransactionTemplate ownTransaction;

	private final AuditTrail audit;

	private final Map<String, RealmKeys> cache = new ConcurrentHashMap<>();

	/** Counts invalidations, so that keys read while one arrived are not kept. */
	private final AtomicLong invalidated = new AtomicLong();

	SigningKeyService(JdbcClient jdbc, KeyProperties properties, MasterKey masterKey, Clock clock,
			CacheInvalidations invalidations, PlatformTransactionManager transactionManager, AuditTrail audit) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
		this.masterKey = masterKey;
		this.invalidations = invalidations;
		// the bookkeeping of settle() must never fail the transaction of a request
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		invalidations.subscribe(CACHE_TOPIC, (realm) -> {
			this.invalidated.incrementAndGet();
			this.cache.remove(realm);
		}, () -> {
			this.invalidated.incrementAndGet();
			this.cache.clear();
		});
	}

	@EventListener
	@Transactional
	public void onRealmProvisioned(RealmProvisionedEvent event) {
		String realm = event.definition().name();
		boolean created = false;
		for (JWSAlgorithm algorithm : ALGORITHMS) {
			Integer live = this.jdbc.sql("""
					select count(*) from signing_key
					where realm = :realm and algorithm = :alg and status in ('ACTIVE', 'PUBLISHED')
					""").param("realm", realm).param("alg", algorithm.getName()).query(Integer.class).single();
			if (live == 0) {
				// a realm's first keys sign at once: no token of the realm exists to verify yet
				insertNewKey(realm, algorithm, "ACTIVE", this.clock.instant());
				logger.info("Created a {} signing key for realm '{}'", algorithm, realm);
				created = true;
			}
		}
		if (created) {
			this.invalidations.publish(CACHE_TOPIC, realm);
		}
	}

	/** The new keys of a rotation and the moment from which they sign. */
	public record Rotation(List<String> kids, Instant activatesAt) {
	}

	/**
	 * Publishes new keys now, to sign from {@code hitotsu.keys.activation-delay} on; the
	 * keys they replace stop signing then and stay in the JWKS for
	 * {@code hitotsu.keys.retired-key-retention}, so tokens they signed keep verifying.
	 */
	@Transactional
	public Rotation rotate(String realm) {
		return rotate(realm, this.properties.activationDelay());
	}

	/**
	 * As {@link #rotate(String)}, with another delay. Zero replaces the keys at once (a
	 * compromised key), at the price of tokens that replicas which have not heard of the
	 * new keys yet refuse for a moment, and of relying parties that must fetch the JWKS
	 * again.
	 */
	@Transactional
	public Rotation rotate(String realm, Duration activationDelay) {
		if (activationDelay.isNegative()) {
			throw new IllegalArgumentException("The activation delay cannot be negative: " + activationDelay);
		}
		Instant now = this.clock.instant();
		settle(realm, now);
		Integer active = this.jdbc
			.sql("select count(*) from signing_key where realm = :realm and status = 'ACTIVE'")
			.param("realm", realm)
			.query(Integer.class)
			.single();
		if (active == 0) {
			throw new IllegalArgumentException("Realm '" + realm + "' has no active signing keys to rotate");
		}
		// as PostgreSQL keeps it, so the rotation's answer and the key list agree
		Instant activatesAt = now.plus(activationDelay).truncatedTo(ChronoUnit.MICROS);
		List<String> kids = new ArrayList<>();
		for (JWSAlgorithm algorithm : ALGORITHMS) {
			kids.add(insertNewKey(realm, algorithm, "PUBLISHED", activatesAt));
		}
		if (activationDelay.isZero()) {
			settle(realm, now);
		}
		// every replica (this one too) reads the realm's keys again when this commits
		this.invalidations.publish(CACHE_TOPIC, realm);
		this.audit.record(AuditEvent.of(realm, AuditEventType.KEY_ROTATED)
			.detail("kids", kids)
			.detail("activatesAt", activatesAt.toString())
			.build());
		return new Rotation(kids, activatesAt);
	}

	/**
	 * A key as administrators see it, never its private part.
	 * @param status {@code ACTIVE} (signs, or signed until a newer key's time came),
	 * {@code PUBLISHED} (in the JWKS, signs from {@code activatesAt}) or {@code RETIRED}
	 * @param published whether it is in the realm's JWKS (retired keys stay for
	 * {@code hitotsu.keys.retired-key-retention})
	 */
	public record KeyView(String kid, String algorithm, String status, Instant createdAt, Instant activatesAt,
			Instant retiredAt, boolean published) {
	}

	/** Every key the realm has had, the newest first, its rotations settled first. */
	public List<KeyView> list(String realm) {
		keys(realm);
		Instant oldestPublished = this.clock.instant().minus(this.properties.retiredKeyRetention());
		return this.jdbc.sql("""
				select kid, algorithm, status, created_at, activates_at, retired_at from signing_key
				where realm = :realm order by activates_at desc, created_at desc, kid
				""").param("realm", realm).query((rs, row) -> {
			Timestamp retired = rs.getTimestamp("retired_at");
			return new KeyView(rs.getString("kid"), rs.getString("algorithm"), rs.getString("status"),
					rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("activates_at").toInstant(),
					(retired != null) ? retired.toInstant() : null,
					retired == null || retired.toInstant().isAfter(oldestPublished));
		}).list();
	}

	/** The realm's signing keys, with private parts: per algorithm, the one that signs now. */
	public JWKSet signingKeys(String realm) {
		return keys(realm).signing();
	}

	/** The realm's public keys that verifiers may meet. */
	public JWKSet publishedKeys(String realm) {
		return keys(realm).published();
	}

	/** The realm's JWKS document, ready to serve. */
	public String publishedJson(String realm) {
		return keys(realm).publishedJson();
	}

	private RealmKeys keys(String realm) {
		RealmKeys keys = this.cache.get(realm);
		if (keys == null || !this.clock.instant().isBefore(keys.reloadAt())) {
			long generation = this.invalidated.get();
			RealmKeys held = keys;
			try {
				keys = load(realm);
			}
			catch (DataAccessException ex) {
				if (held == null) {
					throw ex;
				}
				// the database is unreachable: keys still sign and the JWKS is still served from
				// memory; read again a refresh later rather than at every request meanwhile
				logger.warn("Cannot read the signing keys of realm '{}' again ({}); using the ones in memory", realm,
						ex.getMessage());
				keys = held.readAgainAt(this.clock.instant().plus(this.properties.cacheRefresh()));
				this.cache.replace(realm, held, keys);
				return keys;
			}
			if (keys.unsettled() && settleQuietly(realm)) {
				keys = load(realm);
			}
			this.cache.put(realm, keys);
			if (this.invalidated.get() != generation) {
				// a change was announced while reading: use what was read once, read again next time
				this.cache.remove(realm, keys);
			}
		}
		return keys;
	}

	private RealmKeys load(String realm) {
		Instant now = this.clock.instant();
		Instant oldestPublished = now.minus(this.properties.retiredKeyRetention());
		List<StoredKey> stored = this.jdbc.sql("""
				select kid, algorithm, status, public_jwk, private_jwk_encrypted, activates_at from signing_key
				where realm = :realm and (status in ('ACTIVE', 'PUBLISHED') or retired_at > :oldest)
				order by activates_at desc, created_at desc
				""")
			.param("realm", realm)
			.param("oldest", Timestamp.from(oldestPublished))
			.query((rs, row) -> new StoredKey(rs.getString("kid"), rs.getString("algorithm"), rs.getString("status"),
					rs.getString("public_jwk"), rs.getString("private_jwk_encrypted"),
					rs.getTimestamp("activates_at").toInstant()))
			.list();
		List<JWK> signing = new ArrayList<>();
		List<JWK> published = new ArrayList<>();
		Set<String> algorithmsSigning = new HashSet<>();
		Instant reloadAt = now.plus(this.properties.cacheRefresh());
		boolean unsettled = false;
		for (StoredKey key : stored) {
			try {
				published.add(JWK.parse(key.publicJwk()));
				boolean live = !"RETIRED".equals(key.status());
				if (live && key.activatesAt().isAfter(now)) {
					// published, not signing yet: read again the moment it may sign
					reloadAt = key.activatesAt().isBefore(reloadAt) ? key.activatesAt() : reloadAt;
				}
				else if (live && algorithmsSigning.add(key.algorithm())) {
					// the newest key of its algorithm whose time has come
					signing.add(JWK.parse(this.masterKey.decrypt(key.privateJwkEncrypted(), boundTo(realm, key.kid()))));
					unsettled |= "PUBLISHED".equals(key.status());
				}
				else if (live) {
					// replaced by a newer key, not yet recorded as retired
					unsettled = true;
				}
			}
			catch (ParseException ex) {
				throw new IllegalStateException("Signing key " + key.kid() + " of realm '" + realm + "' is unreadable",
						ex);
			}
		}
		JWKSet publishedSet = new JWKSet(published);
		return new RealmKeys(new JWKSet(signing), publishedSet, publishedSet.toString(true), reloadAt, unsettled);
	}

	/**
	 * Records what time has decided: per algorithm, the newest key whose activation time has
	 * passed becomes {@code ACTIVE}, and the ones it replaced {@code RETIRED} as of that time
	 * (their retention counts from when they stopped signing). Processes racing to do it
	 * queue on the rows' locks; the later ones find nothing left to do. Returns whether
	 * anything changed.
	 */
	private boolean settle(String realm, Instant now) {
		List<StoredKey> live = this.jdbc.sql("""
				select kid, algorithm, status, activates_at from signing_key
				where realm = :realm and status in ('ACTIVE', 'PUBLISHED')
				order by activates_at desc, created_at desc
				for update
				""")
			.param("realm", realm)
			.query((rs, row) -> new StoredKey(rs.getString("kid"), rs.getString("algorithm"), rs.getString("status"),
					null, null, rs.getTimestamp("activates_at").toInstant()))
			.list();
		Map<String, StoredKey> current = new HashMap<>();
		List<StoredKey> toActivate = new ArrayList<>();
		boolean changed = false;
		for (StoredKey key : live) {
			if (key.activatesAt().isAfter(now)) {
				continue;
			}
			StoredKey newer = current.putIfAbsent(key.algorithm(), key);
			if (newer == null) {
				if ("PUBLISHED".equals(key.status())) {
					toActivate.add(key);
				}
			}
			else {
				// retired before the new one is activated: at most one active key per realm
				// and algorithm after every statement (a unique index)
				this.jdbc.sql("update signing_key set status = 'RETIRED', retired_at = :at where kid = :kid")
					.param("at", Timestamp.from(newer.activatesAt()))
					.param("kid", key.kid())
					.update();
				changed = true;
			}
		}
		for (StoredKey key : toActivate) {
			this.jdbc.sql("update signing_key set status = 'ACTIVE' where kid = :kid").param("kid", key.kid()).update();
			changed = true;
		}
		if (changed) {
			logger.info("Signing keys of realm '{}' recorded as active: {}", realm,
					current.values().stream().map(StoredKey::kid).sorted().toList());
		}
		return changed;
	}

	/** {@link #settle} in a transaction of its own; a failure changes nothing of what is served. */
	private boolean settleQuietly(String realm) {
		try {
			Boolean changed = this.ownTransaction.execute((status) -> {
				boolean done = settle(realm, this.clock.instant());
				if (done) {
					this.invalidations.publish(CACHE_TOPIC, realm);
				}
				return done;
			});
			return Boolean.TRUE.equals(changed);
		}
		catch (DataAccessException ex) {
			logger.warn("Cannot record which signing keys of realm '{}' took over ({}); will try again", realm,
					ex.getMessage());
			return false;
		}
	}

	private String insertNewKey(String realm, JWSAlgorithm algorithm, String status, Instant activatesAt) {
		String kid = UUID.randomUUID().toString();
		JWK key = generate(algorithm, kid);
		this.jdbc.sql("""
				insert into signing_key (kid, realm, algorithm, status, public_jwk, private_jwk_encrypted, created_at,
				  activates_at)
				values (:kid, :realm, :alg, :status, :public, :private, :now, :activates)
				""")
			.param("kid", kid)
			.param("realm", realm)
			.param("alg", algorithm.getName())
			.param("status", status)
			.param("public", key.toPublicJWK().toJSONString())
			.param("private", this.masterKey.encrypt(key.toJSONString(), boundTo(realm, kid)))
			.param("now", Timestamp.from(this.clock.instant()))
			.param("activates", Timestamp.from(activatesAt))
			.update();
		return kid;
	}

	private static String boundTo(String realm, String kid) {
		return "signing_key/" + realm + "/" + kid;
	}

	private static JWK generate(JWSAlgorithm algorithm, String kid) {
		try {
			if (JWSAlgorithm.RS256.equals(algorithm)) {
				return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
			}
			return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot generate a " + algorithm + " key", ex);
		}
	}

	private record StoredKey(String kid, String algorithm, String status, String publicJwk,
			String privateJwkEncrypted, Instant activatesAt) {
	}

}
