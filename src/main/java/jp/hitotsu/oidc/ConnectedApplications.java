package jp.hitotsu.oidc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The applications a person has let in: clients they consented to and clients that hold
 * live tokens for them. The account console lists them and lets the person revoke one.
 */
@Service
public class ConnectedApplications {

	private final PostgresConsentService consents;

	private final PostgresAuthorizationService authorizations;

	private final RealmClientRepository clients;

	private final AuditTrail audit;

	ConnectedApplications(PostgresConsentService consents, PostgresAuthorizationService authorizations,
			RealmClientRepository clients, AuditTrail audit) {
		this.consents = consents;
		this.authorizations = authorizations;
		this.clients = clients;
		this.audit = audit;
	}

	/**
	 * One application of a person.
	 * @param name the client's display name (its client id when it has none)
	 * @param scopes what it was granted, without {@code openid}, by name
	 * @param consentedAt when the person last consented, or null when it needed no consent
	 * @param lastGrant when its newest live grant was made, or null when it holds none
	 * @param liveGrants how many grants with live tokens it holds
	 */
	public record Application(String clientId, String name, List<String> scopes, Instant consentedAt,
			Instant lastGrant, int liveGrants) {
	}

	/** The person's applications: consented ones first, newest consent first, then the others. */
	public List<Application> of(Realm realm, String subject) {
		return RealmContext.callIn(realm, () -> {
			Map<String, Builder> found = new LinkedHashMap<>();
			for (PostgresConsentService.Given given : this.consents.givenBy(realm.name(), subject)) {
				Builder application = found.computeIfAbsent(given.consent().getRegisteredClientId(), Builder::new);
				application.consentedAt = given.grantedAt();
				application.scopes.addAll(given.consent().getScopes());
			}
			for (PostgresAuthorizationService.LiveGrant grant : this.authorizations.liveGrants(realm.name(), subject)) {
				Builder application = found.computeIfAbsent(grant.registeredClientId(), Builder::new);
				application.liveGrants++;
				if (application.lastGrant == null) {
					application.lastGrant = grant.created();
				}
				OAuth2Authorization authorization = this.authorizations.findById(grant.id());
				if (authorization != null) {
					application.scopes.addAll(authorization.getAuthorizedScopes());
				}
			}
			List<Application> applications = new ArrayList<>();
			for (Builder application : found.values()) {
				RegisteredClient client = this.clients.findById(application.registeredClientId);
				// a client deleted since keeps nothing to show or revoke (its grants went with it)
				if (client != null) {
					application.scopes.remove(OidcScopes.OPENID);
					applications.add(new Application(client.getClientId(),
							(client.getClientName() != null) ? client.getClientName() : client.getClientId(),
							List.copyOf(application.scopes), application.consentedAt, application.lastGrant,
							application.liveGrants));
				}
			}
			return applications;
		});
	}

	/** One application of the person, by its client id. */
	public Optional<Application> find(Realm realm, String subject, String clientId) {
		return of(realm, subject).stream().filter((application) -> application.clientId().equals(clientId)).findFirst();
	}

	/**
	 * Revokes an application: its consent goes (the next authorization asks again) and every
	 * grant it holds for the person ends, so its refresh tokens get {@code invalid_grant} and
	 * its access tokens fail introspection and UserInfo. Audited in the same transaction.
	 * @return whether the person had that application
	 */
	@Transactional
	public boolean revoke(Realm realm, String subject, String clientId, String ipAddress) {
		return RealmContext.callIn(realm, () -> {
			RegisteredClient client = this.clients.findByClientId(clientId);
			if (client == null) {
				return false;
			}
			OAuth2AuthorizationConsent consent = this.consents.findById(client.getId(), subject);
			int revoked = this.authorizations.revokeClientGrantsOf(realm.name(), client.getId(), subject);
			if (consent != null) {
				this.consents.withdraw(consent, revoked, ipAddress);
			}
			else if (revoked > 0) {
				this.audit.record(AuditEvent.of(realm.name(), AuditEventType.TOKEN_REVOKED)
					.subject(subject)
					.client(clientId)
					.ipAddress(ipAddress)
					.detail("via", "account-console")
					.detail("revoked_grants", revoked)
					.build());
			}
			return consent != null || revoked > 0;
		});
	}

	private static final class Builder {

		private final String registeredClientId;

		private final Set<String> scopes = new TreeSet<>();

		private Instant consentedAt;

		private Instant lastGrant;

		private int liveGrants;

		Builder(String registeredClientId) {
			this.registeredClientId = registeredClientId;
		}

	}

}
