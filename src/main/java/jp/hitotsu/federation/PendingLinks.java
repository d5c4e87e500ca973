package jp.hitotsu.federation;

import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import com.nimbusds.oauth2.sdk.id.Issuer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.federation.UpstreamClient.Verified;
import jp.hitotsu.federation.UpstreamProviders.Upstream;
import jp.hitotsu.login.LoginListener;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.realm.Realm;

import org.springframework.stereotype.Component;

/**
 * A first login through a provider whose realm links rather than creates: the person's
 * upstream identity waits in the browser's session until they log in to their own account
 * of the realm (by its own means), which is then linked to it. Waits at most
 * {@code hitotsu.federation.login-timeout}.
 */
@Component
class PendingLinks implements LoginListener {

	private static final String ATTRIBUTE = "hitotsu.broker.pending-link.";

	private final UpstreamProviders providers;

	private final FederationLinks links;

	private final AccountService accounts;

	private final FederationProperties properties;

	private final Clock clock;

	PendingLinks(UpstreamProviders providers, FederationLinks links, AccountService accounts,
			FederationProperties properties, Clock clock) {
		this.providers = providers;
		this.links = links;
		this.accounts = accounts;
		this.properties = properties;
		this.clock = clock;
	}

	/** What is kept of the upstream login meanwhile: no claims, only the link key and acr. */
	record PendingLink(String alias, String issuer, String subject, String acr, Instant since) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

	void await(HttpServletRequest request, Realm realm, Upstream upstream, Verified login) {
		request.getSession()
			.setAttribute(ATTRIBUTE + realm.name(), new PendingLink(upstream.alias(), login.issuer().getValue(),
					login.subject(), login.acr(), this.clock.instant()));
	}

	@Override
	public void loggedIn(HttpServletRequest request, Realm realm, RealmAuthentication login) {
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(ATTRIBUTE + realm.name()) instanceof PendingLink pending)) {
			return;
		}
		session.removeAttribute(ATTRIBUTE + realm.name());
		if (pending.since().plus(this.properties.loginTimeout()).isBefore(this.clock.instant())) {
			return;
		}
		this.providers.find(realm.name(), pending.alias())
			.ifPresent((upstream) -> this.accounts.find(realm.name(), login.getName())
				.ifPresent((account) -> this.links.link(upstream, new Verified(new Issuer(pending.issuer()),
						pending.subject(), pending.acr(), Map.of()), account, request.getRemoteAddr())));
	}

}
