package jp.hitotsu.oidc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
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

	private final AccountService accounts;

	IdentityClaims(AccountService accounts) {
		this.accounts = accounts;
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
		List<String> roles = visibleRoles(identity, client);
		if (!roles.isEmpty()) {
			claims.put(ROLES, roles);
		}
		return claims;
	}

	/** The person's roles that this client is allowed to see, in the client's order. */
	List<String> visibleRoles(Identity identity, RegisteredClient client) {
		List<String> roles = new ArrayList<>(RealmClientRepository.visibleRoles(client));
		roles.retainAll(identity.roles());
		return roles;
	}

	private static void putIfPresent(Map<String, Object> claims, String name, Object value) {
		if (value != null) {
			claims.put(name, value);
		}
	}

}
