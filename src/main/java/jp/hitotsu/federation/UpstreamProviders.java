package jp.hitotsu.federation;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWK;
import jp.hitotsu.login.LoginOption;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmProvisionedEvent;
import jp.hitotsu.realm.RealmRule;
import jp.hitotsu.realm.UpstreamDefinition;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The upstream providers of each realm of this zone, as its realm file lists them, with
 * the key each signs its client assertions with. Every replica reads the same files at
 * startup, so this is kept in memory. A realm under the rule {@code no-outbound-calls}
 * brokers only to hosts {@code hitotsu.federation.allowed-hosts} lists: a file naming
 * another host does not start, nor one whose key file is missing or holds no private key.
 */
@Component
class UpstreamProviders implements LoginOption {

	private final Map<String, Map<String, Upstream>> byRealm = new ConcurrentHashMap<>();

	private final List<String> allowedHosts;

	UpstreamProviders(FederationProperties properties) {
		this.allowedHosts = properties.allowedHosts();
	}

	/** One upstream provider of a realm and the private key of this realm's client there. */
	record Upstream(String realm, UpstreamDefinition definition, JWK key) {

		String alias() {
			return this.definition.alias();
		}

	}

	@EventListener
	void onRealmProvisioned(RealmProvisionedEvent event) {
		Realm realm = event.definition().realm();
		Map<String, Upstream> upstreams = new LinkedHashMap<>();
		for (UpstreamDefinition definition : event.definition().upstreamProviders()) {
			URI issuer = definition.issuer();
			if (realm.requires(RealmRule.NO_OUTBOUND_CALLS) && !this.allowedHosts.contains(issuer.getHost())) {
				throw new IllegalStateException("realm '" + realm.name() + "' (rule no-outbound-calls): upstream "
						+ "provider '" + definition.alias() + "' has issuer host '" + issuer.getHost()
						+ "', which hitotsu.federation.allowed-hosts does not list; add the host there or remove "
						+ "the provider");
			}
			upstreams.put(definition.alias(), new Upstream(realm.name(), definition, key(realm, definition)));
		}
		// in the file's order: the login page shows the buttons so
		this.byRealm.put(realm.name(), Collections.unmodifiableMap(upstreams));
	}

	private static JWK key(Realm realm, UpstreamDefinition definition) {
		String where = "realm '" + realm.name() + "', upstream provider '" + definition.alias() + "': private-key-file '"
				+ definition.privateKeyFile() + "'";
		try {
			JWK key = JWK.parse(Files.readString(Path.of(definition.privateKeyFile())));
			if (!key.isPrivate() || key.getKeyID() == null) {
				throw new IllegalStateException(where + " holds no private key with a kid");
			}
			return key;
		}
		catch (IOException ex) {
			throw new IllegalStateException(where + " cannot be read: " + ex.getMessage(), ex);
		}
		catch (ParseException ex) {
			throw new IllegalStateException(where + " is not a JWK: " + ex.getMessage(), ex);
		}
	}

	Optional<Upstream> find(String realm, String alias) {
		return Optional.ofNullable(this.byRealm.getOrDefault(realm, Map.of()).get(alias));
	}

	List<Upstream> of(String realm) {
		return List.copyOf(this.byRealm.getOrDefault(realm, Map.of()).values());
	}

	@Override
	public List<Button> buttons(Realm realm) {
		return of(realm.name()).stream()
			.map((upstream) -> new Button(upstream.definition().displayName(),
					"/realms/" + realm.name() + "/broker/" + upstream.alias() + "/login"))
			.toList();
	}

}
