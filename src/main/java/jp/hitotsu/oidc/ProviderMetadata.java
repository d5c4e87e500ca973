package jp.hitotsu.oidc;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jp.hitotsu.realm.AssuranceLevel;
import jp.hitotsu.realm.ClientDefinition;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.realm.RealmRule;

/**
 * Discovery and RFC 8414 metadata that advertise what a realm really supports, no more:
 * a client that trusts the metadata must never pick a method the server then refuses.
 * Applied to both documents as a change of their claims.
 */
final class ProviderMetadata {

	private static final List<String> AUTHENTICATING_METHODS = List.of("client_secret_basic", "client_secret_post",
			"private_key_jwt");

	private ProviderMetadata() {
	}

	/** Scopes every realm supports, whatever its clients. */
	private static final List<String> BASE_SCOPES = List.of("openid", "profile", "email", "phone");

	/**
	 * @param clientScopes every scope some client of the realm may request
	 * @param verifiedClaims whether some client of the realm may receive {@code verified_claims}
	 */
	static void customize(Map<String, Object> metadata, Set<String> clientScopes, boolean verifiedClaims) {
		Realm realm = RealmContext.require();
		metadata.put("token_endpoint_auth_methods_supported",
				List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none"));
		metadata.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256", "ES256"));
		metadata.put("revocation_endpoint_auth_methods_supported", AUTHENTICATING_METHODS);
		metadata.put("introspection_endpoint_auth_methods_supported", AUTHENTICATING_METHODS);
		List<String> grants = new java.util.ArrayList<>(
				List.of("authorization_code", "refresh_token", "client_credentials", ClientDefinition.TOKEN_EXCHANGE));
		if (realm.requires(RealmRule.NO_DEVICE_GRANT)) {
			metadata.remove("device_authorization_endpoint");
		}
		else {
			grants.add(ClientDefinition.DEVICE_CODE);
		}
		metadata.put("grant_types_supported", grants);
		// PAR is offered to every client and required of those whose definition says so
		// (require-pushed-authorization-requests), not of all of them
		metadata.put("require_pushed_authorization_requests", false);
		// a scope only a client can ask for (organization, employee_number) is supported when one can
		Set<String> scopes = new LinkedHashSet<>(BASE_SCOPES);
		scopes.addAll(clientScopes);
		metadata.put("scopes_supported", List.copyOf(scopes));
		metadata.remove("tls_client_certificate_bound_access_tokens");
		metadata.put("acr_values_supported",
				Arrays.stream(AssuranceLevel.values()).map(realm.login()::acrFor).toList());
		metadata.put("claims_supported",
				List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid",
						"preferred_username", "name", "given_name", "family_name", "email", "email_verified",
						"roles", "org", "org_name", "orgs", "employee_number", "phone_number", "phone_number_verified"));
		metadata.put("ui_locales_supported", List.of("ja", "en"));
		// OpenID Connect Back-Channel Logout 1.0: a logout token names the session (sid) when it can
		metadata.put("backchannel_logout_supported", true);
		metadata.put("backchannel_logout_session_supported", true);
		// Front-Channel Logout 1.0: iss and sid are always added to the client's URI
		metadata.put("frontchannel_logout_supported", true);
		metadata.put("frontchannel_logout_session_supported", true);
		if (verifiedClaims) {
			// OpenID Connect for Identity Assurance 1.0, section 8: exactly what IdentityClaims emits
			metadata.put("verified_claims_supported", true);
			metadata.put("trust_frameworks_supported", List.of(IdentityClaims.TRUST_FRAMEWORK));
			metadata.put("evidence_supported", List.of(IdentityClaims.EVIDENCE_TYPE));
			metadata.put("claims_in_verified_claims_supported", IdentityClaims.VERIFIED_NAMES);
		}
		if (metadata.containsKey("id_token_signing_alg_values_supported")) {
			metadata.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256"));
		}
	}

}
