package jp.hitotsu.oidc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.directory.DirectoryService;
import jp.hitotsu.directory.DirectoryService.Placement;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The claims about a person that tokens and UserInfo carry, decided in one place: only
 * what the granted scopes cover, and only the roles the client is allowed to see.
 */
@Component
class IdentityClaims {

	static final String ROLES = "roles";

	static final String VERIFIED_CLAIMS = "verified_claims";

	/** The one trust framework {@code verified_claims} name: the IAL is NIST SP 800-63A's. */
	static final String TRUST_FRAMEWORK = "nist_800_63A";

	/** The one kind of evidence behind {@code verified_claims}: a provider's (or an office's) record. */
	static final String EVIDENCE_TYPE = "electronic_record";

	/** The claims {@code verified_claims} carries, when the account has them ({@link #verifiedClaims}). */
	static final List<String> VERIFIED_NAMES = List.of(StandardClaimNames.FAMILY_NAME, StandardClaimNames.GIVEN_NAME,
			StandardClaimNames.NAME);

	/** Scope of {@code org} (the primary post's unit) and {@code orgs} (every unit held now). */
	static final String ORGANIZATION_SCOPE = "organization";

	/** Scope of {@code employee_number}. */
	static final String EMPLOYEE_NUMBER_SCOPE = "employee_number";

	private final AccountService accounts;

	private final DirectoryService directory;

	IdentityClaims(AccountService accounts, DirectoryService directory) {
		this.accounts = accounts;
		this.directory = directory;
	}

	/**
	 * The account behind a grant, which must still exist and be enabled: a disabled
	 * account gets no new token, whatever it holds.
	 */
	Identity activeAccount(String realm, String subject, String errorCode) {
		return findOncePerRequest(realm, subject).filter(Identity::enabled)
			.orElseThrow(() -> new OAuth2AuthenticationException(new OAuth2Error(errorCode,
					"The account of this grant is disabled or no longer exists in realm '" + realm + "'", null)));
	}

	/**
	 * Refuses a token to an account whose address is unverified when the client needs a
	 * verified one. The authorization endpoint already sends such a person to verify it;
	 * this holds for whatever reaches the token endpoint anyway ({@code prompt=none}).
	 */
	void requireVerifiedEmail(Identity identity, RegisteredClient client) {
		if (RealmClientRepository.requiresVerifiedEmail(client) && !identity.emailVerified()) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
					"Client '" + client.getClientId() + "' of realm '" + identity.realm()
							+ "' requires a verified e-mail address; this account's is not verified",
					null));
		}
	}

	/**
	 * One token response signs an access token and an ID token for the same person; the
	 * account is read once for both.
	 */
	@SuppressWarnings("unchecked")
	private Optional<Identity> findOncePerRequest(String realm, String subject) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request == null) {
			return this.accounts.find(realm, subject);
		}
		String key = IdentityClaims.class.getName() + "." + realm + "." + subject;
		Object cached = request.getAttribute(key, RequestAttributes.SCOPE_REQUEST);
		if (cached instanceof Optional<?> identity) {
			return (Optional<Identity>) identity;
		}
		Optional<Identity> identity = this.accounts.find(realm, subject);
		request.setAttribute(key, identity, RequestAttributes.SCOPE_REQUEST);
		return identity;
	}

	/**
	 * The directory's claims for the granted scopes, in access tokens, ID tokens and
	 * UserInfo: {@code org}, {@code org_name} and {@code orgs} with {@code organization}, {@code employee_number}
	 * with {@code employee_number}. Nothing the scopes do not ask for is read or sent.
	 */
	Map<String, Object> directoryClaims(Identity identity, Collection<String> scopes, RegisteredClient client) {
		Map<String, Object> claims = new LinkedHashMap<>();
		if (!scopes.contains(ORGANIZATION_SCOPE) && !scopes.contains(EMPLOYEE_NUMBER_SCOPE)) {
			return claims;
		}
		Placement placement = placementOncePerRequest(identity, scopes, client);
		putIfPresent(claims, "org", placement.primaryUnit());
		// the unit's names as they are today (a renamed unit keeps its code): Japanese, and
		// English as an OIDC language-tagged claim
		putIfPresent(claims, "org_name", placement.primaryUnitNameJa());
		putIfPresent(claims, "org_name#en", placement.primaryUnitNameEn());
		if (!placement.units().isEmpty()) {
			claims.put("orgs", placement.units());
		}
		putIfPresent(claims, "employee_number", placement.employeeNumber());
		return claims;
	}

	/**
	 * A token response signs an access token and an ID token for one person and client:
	 * the directory is read once for both, for everything the scopes and client need.
	 */
	private Placement placementOncePerRequest(Identity identity, Collection<String> scopes, RegisteredClient client) {
		boolean units = scopes.contains(ORGANIZATION_SCOPE);
		boolean employeeNumber = scopes.contains(EMPLOYEE_NUMBER_SCOPE);
		boolean roles = !RealmClientRepository.visibleRoles(client).isEmpty();
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		String key = Placement.class.getName() + "." + identity.subject() + "." + client.getClientId() + "." + units
				+ "." + employeeNumber;
		if (request != null && request.getAttribute(key, RequestAttributes.SCOPE_REQUEST) instanceof Placement cached) {
			return cached;
		}
		Placement placement = this.directory.placement(identity.realm(), identity.id(), client.getClientId(),
				employeeNumber, units, roles);
		if (request != null) {
			request.setAttribute(key, placement, RequestAttributes.SCOPE_REQUEST);
		}
		return placement;
	}

	/**
	 * OpenID Connect for Identity Assurance 1.0: the names the account's evidence verified,
	 * under the NIST SP 800-63A framework at the account's IAL, each piece of evidence an
	 * electronic record from the provider that checked it. Nothing below IAL2: an IAL1
	 * account's names are only what its owner typed.
	 */
	private Optional<Map<String, Object>> verifiedClaims(Identity identity) {
		Optional<AccountService.Assurance> assurance = this.accounts.assurance(identity.realm(), identity.subject());
		if (assurance.isEmpty() || assurance.get().ial() < 2) {
			return Optional.empty();
		}
		List<Map<String, Object>> evidence = new ArrayList<>();
		for (AccountService.Evidence each : assurance.get().evidence()) {
			if (each.ial() >= 2) {
				Map<String, Object> record = new LinkedHashMap<>();
				record.put("type", EVIDENCE_TYPE);
				record.put("time", each.verifiedAt().toString());
				record.put("record", Map.of("type", each.evidence(), "source",
						Map.of("name", (each.provider() != null) ? each.provider() : identity.realm())));
				evidence.add(record);
			}
		}
		Map<String, Object> verification = new LinkedHashMap<>();
		verification.put("trust_framework", TRUST_FRAMEWORK);
		verification.put("assurance_level", "ial" + assurance.get().ial());
		verification.put("evidence", evidence);
		// VERIFIED_NAMES, as discovery advertises them
		Map<String, Object> names = new LinkedHashMap<>();
		putIfPresent(names, StandardClaimNames.FAMILY_NAME, identity.familyName());
		putIfPresent(names, StandardClaimNames.GIVEN_NAME, identity.givenName());
		putIfPresent(names, StandardClaimNames.NAME, identity.name());
		return Optional.of(Map.of("verification", verification, "claims", names));
	}

	/** Claims for the ID token and UserInfo. */
	Map<String, Object> userClaims(Identity identity, Collection<String> scopes, RegisteredClient client) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put(StandardClaimNames.PREFERRED_USERNAME, identity.username());
		putIfPresent(claims, StandardClaimNames.NAME, identity.name());
		if (scopes.contains(OidcScopes.PROFILE)) {
			putIfPresent(claims, StandardClaimNames.GIVEN_NAME, identity.givenName());
			putIfPresent(claims, StandardClaimNames.FAMILY_NAME, identity.familyName());
		}
		if (scopes.contains(OidcScopes.EMAIL) && identity.email() != null) {
			claims.put(StandardClaimNames.EMAIL, identity.email());
			claims.put(StandardClaimNames.EMAIL_VERIFIED, identity.emailVerified());
		}
		if (scopes.contains(OidcScopes.PHONE) && identity.phoneNumber() != null) {
			claims.put(StandardClaimNames.PHONE_NUMBER, identity.phoneNumber());
			// nobody proved the number: people type it at sign-up
			claims.put(StandardClaimNames.PHONE_NUMBER_VERIFIED, false);
		}
		if (RealmClientRepository.mayReceiveVerifiedClaims(client)) {
			verifiedClaims(identity).ifPresent((verified) -> claims.put(VERIFIED_CLAIMS, verified));
		}
		claims.putAll(directoryClaims(identity, scopes, client));
		List<String> roles = visibleRoles(identity, scopes, client);
		if (!roles.isEmpty()) {
			claims.put(ROLES, roles);
		}
		return claims;
	}

	/**
	 * The person's roles that this client is allowed to see, in the client's order: the
	 * account's own and the directory's for this client (direct grants and rules). A role
	 * the client does not list is never shown, whoever granted it.
	 */
	List<String> visibleRoles(Identity identity, Collection<String> scopes, RegisteredClient client) {
		List<String> roles = new ArrayList<>(RealmClientRepository.visibleRoles(client));
		if (roles.isEmpty()) {
			return roles;
		}
		Set<String> held = new HashSet<>(identity.roles());
		held.addAll(placementOncePerRequest(identity, scopes, client).roles());
		roles.retainAll(held);
		return roles;
	}

	private static void putIfPresent(Map<String, Object> claims, String name, Object value) {
		if (value != null) {
			claims.put(name, value);
		}
	}

}
