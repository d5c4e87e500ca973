package jp.hitotsu.federation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.account.PersonRecords;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.federation.UpstreamClient.Verified;
import jp.hitotsu.federation.UpstreamProviders.Upstream;
import jp.hitotsu.mail.EmailAddresses;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which account a person of an upstream provider is: the link is keyed by the provider's
 * issuer and subject. A first login creates the account from the provider's claims or
 * links the account its owner proves; either way the provider's identity evidence is
 * recorded on it (which provider, when, which {@code acr}) and may raise its IAL. Each
 * change is audited in its transaction.
 */
@Service
class FederationLinks {

	private final JdbcClient jdbc;

	private final AccountService accounts;

	private final PersonRecords people;

	private final AuditTrail audit;

	private final Clock clock;

	FederationLinks(JdbcClient jdbc, AccountService accounts, PersonRecords people, AuditTrail audit, Clock clock) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.people = people;
		this.audit = audit;
		this.clock = clock;
	}

	/** The linked account, its last login through the provider noted; empty when none is. */
	@Transactional
	public Optional<Identity> linked(Upstream upstream, Verified login) {
		Optional<UUID> account = this.jdbc.sql("""
				update federation_link set last_login_at = :now, last_acr = :acr
				where realm = :realm and issuer = :issuer and upstream_subject = :subject
				returning account_id
				""")
			.param("now", Timestamp.from(this.clock.instant()))
			.param("acr", login.acr())
			.param("realm", upstream.realm())
			.param("issuer", login.issuer().getValue())
			.param("subject", login.subject())
			.query(UUID.class)
			.optional();
		return account.flatMap((id) -> this.accounts.find(upstream.realm(), id.toString()));
	}

	/** Creates an account from the provider's claims and links it. */
	@Transactional
	public Identity create(Upstream upstream, Verified login, String ipAddress) {
		Map<String, String> claims = upstream.definition().claims();
		String username = upstream.alias() + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		Identity created = this.accounts.create(upstream.realm(), username, text(login, claims.get("family-name")),
				text(login, claims.get("given-name")), "federation:" + upstream.alias());
		String email = text(login, claims.get("email"));
		if (email != null && EmailAddresses.problem(email).isEmpty()) {
			Map<PersonRecords.Field, Object> changes = new EnumMap<>(PersonRecords.Field.class);
			changes.put(PersonRecords.Field.EMAIL, email);
			changes.put(PersonRecords.Field.EMAIL_VERIFIED, Boolean.TRUE.equals(login.claims().get("email_verified")));
			this.people.update(upstream.realm(), created.subject(), changes, null, "federation:" + upstream.alias());
		}
		link(upstream, login, created, ipAddress);
		return this.accounts.find(upstream.realm(), created.subject()).orElseThrow();
	}

	/** Links an existing account (its owner just logged in to it) to the provider's subject. */
	@Transactional
	public void link(Upstream upstream, Verified login, Identity account, String ipAddress) {
		Instant now = this.clock.instant();
		this.jdbc.sql("""
				insert into federation_link (realm, issuer, upstream_subject, provider, account_id, created_at,
				  last_login_at, last_acr)
				values (:realm, :issuer, :subject, :provider, :account, :now, :now, :acr)
				""")
			.param("realm", upstream.realm())
			.param("issuer", login.issuer().getValue())
			.param("subject", login.subject())
			.param("provider", upstream.alias())
			.param("account", account.id())
			.param("now", Timestamp.from(now))
			.param("acr", login.acr())
			.update();
		this.audit.record(AuditEvent.of(upstream.realm(), AuditEventType.UPSTREAM_LINKED)
			.subject(account.subject())
			.username(account.username())
			.ipAddress(ipAddress)
			.detail("provider", upstream.alias())
			.detail("issuer", login.issuer().getValue())
			.detail("acr", login.acr())
			.build());
		// the evidence says which provider checked the person, when, and at which acr
		this.accounts.recordEvidence(upstream.realm(), account.subject(),
				new AccountService.Evidence("upstream_login", method(login), login.issuer().getValue(), now,
						upstream.definition().ial()),
				ipAddress);
	}

	/** The provider's {@code acr} as the evidence's method (64 characters at most). */
	private static String method(Verified login) {
		String acr = (login.acr() != null) ? login.acr() : "openid_connect";
		return (acr.length() > 64) ? acr.substring(0, 64) : acr;
	}

	private static String text(Verified login, String claim) {
		if (claim == null || !(login.claims().get(claim) instanceof String value) || value.isBlank()) {
			return null;
		}
		return value.strip();
	}

}
