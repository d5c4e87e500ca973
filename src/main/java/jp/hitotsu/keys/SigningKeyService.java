package jp.hitotsu.keys;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import jp.hitotsu.realm.RealmProvisionedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each realm's signing keys: an RS256 key (what every OIDC client supports) and an ES256
 * key, created on first start, rotated on request, stored encrypted under the master key
 * and held in memory for the token and JWKS endpoints.
 */
@Service
public class SigningKeyService {

	private static final Logger logger = LoggerFactory.getLogger(SigningKeyService.class);

	static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

	private final JdbcClient jdbc;

	private final MasterKey masterKey;

	private final KeyProperties properties;

	private final Clock clock;

	private final Map<String, RealmKeys> cache = new ConcurrentHashMap<>();

	SigningKeyService(JdbcClient jdbc, KeyProperties properties, MasterKey masterKey, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
		this.masterKey = masterKey;
	}

	@EventListener
	@Transactional
	public void onRealmProvisioned(RealmProvisionedEvent event) {
		String realm = event.definition().name();
		for (JWSAlgorithm algorithm : ALGORITHMS) {
			Integer active = this.jdbc
				.sql("select count(*) from signing_key where realm = :realm and algorithm = :alg and status = 'ACTIVE'")
				.param("realm", realm)
				.param("alg", algorithm.getName())
				.query(Integer.class)
				.single();
			if (active == 0) {
				insertNewKey(realm, algorithm);
				logger.info("Created a {} signing key for realm '{}'", algorithm, realm);
			}
		}
		this.cache.remove(realm);
	}

	/**
	 * Retires the realm's active keys and creates new ones. Tokens signed with the retired
	 * keys keep verifying: the keys stay in the JWKS for
	 * {@code hitotsu.keys.retired-key-retention}.
	 */
	@Transactional
	public List<String> rotate(String realm) {
		int retired = this.jdbc
			.sql("update signing_key set status = 'RETIRED', retired_at = :now where realm = :realm and status = 'ACTIVE'")
			.param("now", java.sql.Timestamp.from(this.clock.instant()))
			.param("realm", realm)
			.update();
		if (retired == 0) {
			throw new IllegalArgumentException("Realm '" + realm + "' has no active signing keys to rotate");
		}
		List<String> kids = new ArrayList<>();
		for (JWSAlgorithm algorithm : ALGORITHMS) {
			kids.add(insertNewKey(realm, algorithm));
		}
		this.cache.remove(realm);
		return kids;
	}

	/** The realm's active keys, with private parts, for signing. */
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
		if (keys == null || keys.loadedAt().plus(this.properties.cacheRefresh()).isBefore(this.clock.instant())) {
			keys = load(realm);
			this.cache.put(realm, keys);
		}
		return keys;
	}

	private RealmKeys load(String realm) {
		Instant now = this.clock.instant();
		Instant oldestPublished = now.minus(this.properties.retiredKeyRetention());
		List<JWK> signing = new ArrayList<>();
		List<JWK> published = new ArrayList<>();
		this.jdbc.sql("""
				select kid, status, public_jwk, private_jwk_encrypted, retired_at from signing_key
				where realm = :realm and (status = 'ACTIVE' or retired_at > :oldest)
				order by created_at desc
				""").param("realm", realm).param("oldest", java.sql.Timestamp.from(oldestPublished)).query((rs) -> {
			String kid = rs.getString("kid");
			try {
				published.add(JWK.parse(rs.getString("public_jwk")));
				if ("ACTIVE".equals(rs.getString("status"))) {
					signing.add(JWK.parse(this.masterKey.decrypt(rs.getString("private_jwk_encrypted"), boundTo(realm, kid))));
				}
			}
			catch (ParseException ex) {
				throw new IllegalStateException("Signing key " + kid + " of realm '" + realm + "' is unreadable", ex);
			}
		});
		JWKSet publishedSet = new JWKSet(published);
		return new RealmKeys(new JWKSet(signing), publishedSet, publishedSet.toString(true), now);
	}

	private String insertNewKey(String realm, JWSAlgorithm algorithm) {
		String kid = UUID.randomUUID().toString();
		JWK key = generate(algorithm, kid);
		this.jdbc.sql("""
				insert into signing_key (kid, realm, algorithm, status, public_jwk, private_jwk_encrypted, created_at)
				values (:kid, :realm, :alg, 'ACTIVE', :public, :private, :now)
				""")
			.param("kid", kid)
			.param("realm", realm)
			.param("alg", algorithm.getName())
			.param("public", key.toPublicJWK().toJSONString())
			.param("private", this.masterKey.encrypt(key.toJSONString(), boundTo(realm, kid)))
			.param("now", java.sql.Timestamp.from(this.clock.instant()))
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

}
