package jp.hitotsu.oidc;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import jp.hitotsu.account.AccountDisabledEvent;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.realm.RealmContext;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Consents a user gave to a client, in PostgreSQL. */
@Component
class PostgresConsentService implements OAuth2AuthorizationConsentService {

	private final JdbcClient jdbc;

	private final AuditTrail audit;

	private final RealmClientRepository clients;

	private final Clock clock;

	PostgresConsentService(JdbcClient jdbc, AuditTrail audit, RealmClientRepository clients, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.audit = audit;
		this.clients = clients;
	}

	@Override
	@Transactional
	public void save(OAuth2AuthorizationConsent consent) {
		this.jdbc.sql("""
				insert into oauth_consent (registered_client_id, principal_name, realm, authorities, granted_at)
				values (:client, :principal, :realm, :authorities, :now)
				on conflict (registered_client_id, principal_name) do update set authorities = excluded.authorities,
				  granted_at = excluded.granted_at
				""")
			.param("now", Timestamp.from(this.clock.instant()))
			.param("client", consent.getRegisteredClientId())
			.param("principal", consent.getPrincipalName())
			.param("realm", RealmContext.require().name())
			.param("authorities", consent.getAuthorities()
				.stream()
				.map(GrantedAuthority::getAuthority)
				.collect(Collectors.joining(" ")))
			.update();
		recordChange(AuditEventType.CONSENT_GRANTED, consent);
	}

	@Override
	@Transactional
	public void remove(OAuth2AuthorizationConsent consent) {
		delete(consent);
		this.audit.record(change(AuditEventType.CONSENT_REVOKED, consent).build());
	}

	/**
	 * Its owner withdraws a consent on the account console, audited with the client's grants
	 * that ended with it, in the caller's transaction.
	 */
	void withdraw(OAuth2AuthorizationConsent consent, int revokedGrants, String ipAddress) {
		delete(consent);
		this.audit.record(change(AuditEventType.CONSENT_REVOKED, consent).ipAddress(ipAddress)
			.detail("via", "account-console")
			.detail("revoked_grants", revokedGrants)
			.build());
	}

	private void delete(OAuth2AuthorizationConsent consent) {
		this.jdbc.sql("delete from oauth_consent where registered_client_id = :client and principal_name = :principal")
			.param("client", consent.getRegisteredClientId())
			.param("principal", consent.getPrincipalName())
			.update();
	}

	private void recordChange(AuditEventType type, OAuth2AuthorizationConsent consent) {
		this.audit.record(change(type, consent).build());
	}

	private AuditEvent.Builder change(AuditEventType type, OAuth2AuthorizationConsent consent) {
		RegisteredClient client = this.clients.findById(consent.getRegisteredClientId());
		return AuditEvent.of(RealmContext.require().name(), type)
			.subject(consent.getPrincipalName())
			.client((client != null) ? client.getClientId() : consent.getRegisteredClientId())
			.detail("scope", String.join(" ", consent.getScopes()));
	}

	@Override
	public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
		return this.jdbc.sql("""
				select authorities from oauth_consent
				where registered_client_id = :client and principal_name = :principal
				""")
			.param("client", registeredClientId)
			.param("principal", principalName)
			.query(String.class)
			.optional()
			.map((authorities) -> consent(registeredClientId, principalName, authorities))
			.orElse(null);
	}

	/** A consent and when it was given (or last widened). */
	record Given(OAuth2AuthorizationConsent consent, Instant grantedAt) {
	}

	/** Every consent a person of the realm has given, newest first. */
	List<Given> givenBy(String realm, String principalName) {
		return this.jdbc.sql("""
				select registered_client_id, authorities, granted_at from oauth_consent
				where realm = :realm and principal_name = :principal order by granted_at desc
				""")
			.param("realm", realm)
			.param("principal", principalName)
			.query((rs, row) -> new Given(
					consent(rs.getString("registered_client_id"), principalName, rs.getString("authorities")),
					rs.getTimestamp("granted_at").toInstant()))
			.list();
	}

	private static OAuth2AuthorizationConsent consent(String registeredClientId, String principalName,
			String authorities) {
		OAuth2AuthorizationConsent.Builder consent = OAuth2AuthorizationConsent.withId(registeredClientId,
				principalName);
		Arrays.stream(authorities.split(" "))
			.filter((authority) -> !authority.isEmpty())
			.forEach((authority) -> consent.authority(new SimpleGrantedAuthority(authority)));
		return consent.build();
	}

	/** A disabled account's consents end with it: were it enabled again, it would be asked again. */
	@EventListener
	@Transactional
	public void onAccountDisabled(AccountDisabledEvent event) {
		this.jdbc.sql("delete from oauth_consent where realm = :realm and principal_name = :subject")
			.param("realm", event.realm())
			.param("subject", event.subject())
			.update();
	}

}
