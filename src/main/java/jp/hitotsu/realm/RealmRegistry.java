package jp.hitotsu.realm;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jp.hitotsu.HitotsuProperties;
import jp.hitotsu.cluster.CacheInvalidations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The realms this process serves (those of its zone), kept in PostgreSQL and held in
 * memory for the hot paths. A change stored by any process on the database (a replica
 * started with changed realm files) is announced on topic {@value #CACHE_TOPIC} and read
 * again at once; every {@code hitotsu.cache.refresh} the realms are read again anyway.
 * Features that build on a realm's settings compare the {@link Realm} they built with
 * against the one found here (a reload makes new objects), so they follow too.
 */
@Service
public class RealmRegistry {

	private static final Logger logger = LoggerFactory.getLogger(RealmRegistry.class);

	/** Invalidation topic; the key is the realm's name. */
	public static final String CACHE_TOPIC = "realm";

	private final JdbcClient jdbc;

	private final CacheInvalidations invalidations;

	private final Zone zone;

	private volatile Map<String, Realm> realms = Map.of();

	private final Map<String, List<DemoAccount>> demoAccounts = new java.util.concurrent.ConcurrentHashMap<>();

	RealmRegistry(JdbcClient jdbc, HitotsuProperties properties, CacheInvalidations invalidations) {
		this.jdbc = jdbc;
		this.zone = properties.zone();
		this.invalidations = invalidations;
		// one small query, rare: read at once rather than on a request's path
		invalidations.subscribe(CACHE_TOPIC, (realm) -> reloadQuietly(), this::reloadQuietly);
	}

	public Zone zone() {
		return this.zone;
	}

	/** The realm of this zone with that name, or empty (unknown, or of another zone). */
	public Optional<Realm> find(String name) {
		return Optional.ofNullable(this.realms.get(name));
	}

	public Realm get(String name) {
		return find(name).orElseThrow(() -> new UnknownRealmException(name));
	}

	/** The zone's realms in name order. */
	public List<Realm> all() {
		return this.realms.values().stream().sorted(Comparator.comparing(Realm::name)).toList();
	}

	/** The demonstration accounts of a realm file, for the home page. */
	public List<DemoAccount> demoAccounts(String realm) {
		return this.demoAccounts.getOrDefault(realm, List.of());
	}

	void rememberDemoAccounts(RealmDefinition definition) {
		this.demoAccounts.put(definition.name(), definition.users()
			.stream()
			.filter(UserDefinition::demo)
			.map((user) -> new DemoAccount(user.username(), user.password(), user.name()))
			.toList());
	}

	/** A demonstration account with its password, as its realm file gives it. */
	public record DemoAccount(String username, String password, String name) {
	}

	@Transactional
	void store(Realm realm) {
		this.jdbc.sql("""
				insert into realm (name, zone, display_name_ja, display_name_en, settings)
				values (:name, :zone, :ja, :en, cast(:settings as jsonb))
				on conflict (name) do update set zone = excluded.zone, display_name_ja = excluded.display_name_ja,
				  display_name_en = excluded.display_name_en, settings = excluded.settings, updated_at = now()
				""")
			.param("name", realm.name())
			.param("zone", realm.zone().id())
			.param("ja", realm.displayName().ja())
			.param("en", realm.displayName().en())
			.param("settings", RealmJson.writeSettings(realm))
			.update();
		this.invalidations.publish(CACHE_TOPIC, realm.name());
	}

	/** The safety net for an invalidation that never arrived. */
	@Scheduled(initialDelayString = "${hitotsu.cache.refresh:30s}", fixedDelayString = "${hitotsu.cache.refresh:30s}")
	void refresh() {
		reloadQuietly();
	}

	private void reloadQuietly() {
		try {
			reload();
		}
		catch (DataAccessException ex) {
			logger.warn("Cannot read the realms again ({}); serving the ones in memory", ex.getMessage());
		}
	}

	/**
	 * Reads the zone's realms from the database again. A realm whose settings did not change
	 * keeps its object, so what was built on it stays valid.
	 */
	public synchronized void reload() {
		Map<String, Realm> before = this.realms;
		Collection<Realm> loaded = this.jdbc
			.sql("select name, zone, display_name_ja, display_name_en, settings from realm where zone = :zone")
			.param("zone", this.zone.id())
			.query((rs, row) -> {
				RealmJson.Settings settings = RealmJson.readSettings(rs.getString("settings"));
				return new Realm(rs.getString("name"), Zone.of(rs.getString("zone")),
						new DisplayName(rs.getString("display_name_ja"), rs.getString("display_name_en")),
						settings.tokens(), settings.login(), settings.passwordPolicy(), settings.bruteForce(),
						settings.policies(), settings.audit(), settings.registration(), settings.profile());
			})
			.list();
		this.realms = loaded.stream()
			.map((realm) -> realm.equals(before.get(realm.name())) ? before.get(realm.name()) : realm)
			.collect(Collectors.toUnmodifiableMap(Realm::name, Function.identity()));
	}

}
