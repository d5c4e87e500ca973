package jp.hitotsu.session;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jp.hitotsu.oidc.ClientInput;
import jp.hitotsu.oidc.ClientInputCheck;
import jp.hitotsu.oidc.ClientInputError;
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
 * sends logouts only to the hosts this process's configuration lists
 * ({@code hitotsu.logout.allowed-hosts}): logout tokens from the server, and the
 * front-channel frames that would hand another host the session's {@code sid}. A realm
 * file whose client names another host does not start, before any of its clients is
 * stored; the admin API refuses such a client with the registry's other errors. A client
 * stored before its host left the list is refused at each send ({@link LogoutSender}).
 */
@Component
class LogoutHostsCheck implements ClientInputCheck {

	static final String BACKCHANNEL_FILE_FIELD = "backchannel-logout-uri";

	private final List<String> allowedHosts;

	LogoutHostsCheck(LogoutProperties properties) {
		this.allowedHosts = properties.allowedHosts();
	}

	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void onRealmProvisioned(RealmProvisionedEvent event) {
		Realm realm = event.definition().realm();
		for (ClientDefinition client : event.definition().clients()) {
			for (LogoutUri uri : LogoutUri.of(client.backchannelLogoutUri(), client.frontchannelLogoutUri())) {
				String host = URI.create(uri.value()).getHost();
				if (!allowed(realm, host)) {
					throw new IllegalStateException(refusal(realm.name(), client.clientId(), uri.fileField(), host));
				}
			}
		}
	}

	@Override
	public List<ClientInputError> check(Realm realm, ClientInput input) {
		List<ClientInputError> errors = new ArrayList<>();
		for (LogoutUri uri : LogoutUri.of(input.backchannelLogoutUri(), input.frontchannelLogoutUri())) {
			String host = hostOf(uri.value());
			// a URI that is no URI at all is the registry's error already
			if (host != null && !allowed(realm, host)) {
				errors.add(ClientInputError.of(uri.apiField(), "logout-host", realm.name(), host));
			}
		}
		return errors;
	}

	/** Whether the realm may send a logout to this URI. */
	boolean allowed(Realm realm, URI uri) {
		return allowed(realm, uri.getHost());
	}

	private boolean allowed(Realm realm, String host) {
		return !realm.requires(RealmRule.NO_OUTBOUND_CALLS) || this.allowedHosts.contains(host);
	}

	private static String hostOf(String uri) {
		try {
			return URI.create(uri).getHost();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	static String refusal(String realm, String clientId, String field, String host) {
		return "realm '" + realm + "' (rule no-outbound-calls): client '" + clientId + "' has " + field + " host '"
				+ host + "', which hitotsu.logout.allowed-hosts does not list; add the host there or remove the URI";
	}

	/** A logout URI of a client, by its field in the admin API and in a realm file. */
	private record LogoutUri(String apiField, String fileField, String value) {

		static List<LogoutUri> of(String backchannel, String frontchannel) {
			List<LogoutUri> uris = new ArrayList<>(2);
			if (backchannel != null) {
				uris.add(new LogoutUri("backchannelLogoutUri", BACKCHANNEL_FILE_FIELD, backchannel));
			}
			if (frontchannel != null) {
				uris.add(new LogoutUri("frontchannelLogoutUri", "frontchannel-logout-uri", frontchannel));
			}
			return uris;
		}

	}

}
