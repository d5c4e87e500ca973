package jp.hitotsu.realm;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jp.hitotsu.HitotsuProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The realms this process serves (those of its zone), kept in PostgreSQL and held in
 * memory for the hot paths.
 */
@Service
public class RealmRegistry {

	private final JdbcClient jdbc;

	private final Zone zone;

	private volatile Map<String, Realm> realms = Map.of();

	private final Map<String, List<DemoAccount>> demoAccounts = new java.util.concurrent.ConcurrentHashMap<>();

	RealmRegistry(JdbcClient jdbc, HitotsuProperties properties) {
		this.jdbc = jdbc;
		this.zone = properties.zone();
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
	}

	/** Reads the zone's realms from the database again. */
	public void reload() {
		Collection<Realm> loaded = this.jdbc
			.sql("select name, zone, display_name_ja, display_name_en, settings from realm where zone = :zone")
			.param("zone", this.zone.id())
			.query((rs, row) -> {
				RealmJson.Settings settings = RealmJson.readSettings(rs.getString("settings"));
				return new Realm(rs.getString("name"), Zone.of(rs.getString("zone")),
						new DisplayName(rs.getString("display_name_ja"), rs.getString("display_name_en")),
						settings.tokens(), settings.login(), settings.passwordPolicy(), settings.bruteForce());
			})
			.list();
		this.realms = loaded.stream().collect(Collectors.toUnmodifiableMap(Realm::name, Function.identity()));
	}

}
