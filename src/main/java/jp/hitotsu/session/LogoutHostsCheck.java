package jp.hitotsu.session;

import java.net.URI;
import java.util.List;

import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmProvisionedEvent;
import jp.hitotsu.realm.RealmRule;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * A realm under the rule {@code no-outbound-calls} (every realm of zone {@code mynumber})
 * sends logout tokens only to the hosts this process's configuration lists
 * ({@code hitotsu.logout.allowed-hosts}). A realm file whose client names another host does
 * not start, before any of its clients is stored; a client registered later through the
 * admin API is refused at each send ({@link LogoutSender}).
 */
@Component
class LogoutHostsCheck {

	private final List<String> allowedHosts;

	LogoutHostsCheck(LogoutProperties properties) {
		this.allowedHosts = properties.allowedHosts();
	}

	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void onRealmProvisioned(RealmProvisionedEvent event) {
		Realm realm = event.definition().realm();
		for (ClientDefinition client : event.definition().clients()) {
			if (client.backchannelLogoutUri() != null && !allowed(realm, URI.create(client.backchannelLogoutUri()))) {
				throw new IllegalStateException(refusal(realm.name(), client.clientId(),
						URI.create(client.backchannelLogoutUri()).getHost()));
			}
		}
	}

	/** Whether the realm may send a logout token to this URI. */
	boolean allowed(Realm realm, URI uri) {
		return !realm.requires(RealmRule.NO_OUTBOUND_CALLS) || this.allowedHosts.contains(uri.getHost());
	}

	static String refusal(String realm, String clientId, String host) {
		return "realm '" + realm + "' (rule no-outbound-calls): client '" + clientId + "' has backchannel-logout-uri "
				+ "host '" + host + "', which hitotsu.logout.allowed-hosts does not list; add the host there or "
				+ "remove the URI";
	}

}
