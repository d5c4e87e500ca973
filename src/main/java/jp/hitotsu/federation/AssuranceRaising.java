package jp.hitotsu.federation;

import java.util.Comparator;

import jp.hitotsu.realm.Realm;

import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Where a person goes whose account's identity assurance level is below what a client
 * needs ({@code minimum-ial}): to the upstream provider of the realm that proves enough (the
 * lowest such level, first in the realm file), whose login is then linked to the account
 * they are logged in to; or, when the realm has none, to a page that names the client and
 * the level.
 */
@Service
public class AssuranceRaising {

	private final UpstreamProviders providers;

	AssuranceRaising(UpstreamProviders providers) {
		this.providers = providers;
	}

	/** The path to send the browser to, relative to the server. */
	public String path(Realm realm, String clientId, int ial) {
		return this.providers.of(realm.name())
			.stream()
			.filter((upstream) -> upstream.definition().ial() >= ial)
			.min(Comparator.comparingInt((UpstreamProviders.Upstream upstream) -> upstream.definition().ial()))
			.map((upstream) -> "/realms/" + realm.name() + "/broker/" + upstream.alias() + "/login")
			.orElseGet(() -> UriComponentsBuilder.fromPath("/realms/{realm}/broker/ial-unreachable")
				.queryParam("client", clientId)
				.queryParam("ial", ial)
				.buildAndExpand(realm.name())
				.encode()
				.toUriString());
	}

}
