package jp.hitotsu.admin;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.nimbusds.jwt.JWTParser;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * The door the SCIM API (provisioning package) uses to the admin API's authorization. Two
 * kinds of caller may provision realm {@code R}:
 * <ul>
 * <li>a person through an admin client: an admin-realm access token whose roles include
 * {@code scim:R}, {@code realm-admin[:R]} or {@code super-admin} (as the admin API);</li>
 * <li>a system of record on its own (an HR system, the resident registry): a
 * client-credentials access token of realm {@code R} itself with scope {@code scim}. The
 * realm file decides which clients may ask for that scope; such a token provisions its
 * own realm only and reaches nothing else of the admin API.</li>
 * </ul>
 */
@Component
public class ProvisioningAccess {

	/** The scope a client-credentials token of a realm needs to provision that realm. */
	public static final String SCIM_SCOPE = "scim";

	private static final String REALMS_PATH = "/realms/";

	private final AdminTokenDecoder tokens;

	private final AdminProperties properties;

	private final RealmRegistry realms;

	ProvisioningAccess(AdminTokenDecoder tokens, AdminProperties properties, RealmRegistry realms) {
		this.tokens = tokens;
		this.properties = properties;
		this.realms = realms;
	}

	/**
	 * The caller of a provisioning request.
	 * @param subject their account in the admin realm, or the client itself
	 * @param clientId the client their token was issued to
	 */
	public record Provisioner(String subject, String clientId) {
	}

	/**
	 * Accepts admin-realm access tokens of admin clients, as the admin API does, and access
	 * tokens of any realm this process serves: the realm named by the token's issuer
	 * verifies it with its own keys. Whether the caller may provision the realm of the
	 * request is {@link #provisioner}'s decision.
	 */
	public JwtDecoder tokenDecoder() {
		return (token) -> {
			try {
				return this.tokens.decode(token);
			}
			catch (JwtException notAdmin) {
				Realm realm = claimedRealm(token).orElseThrow(() -> notAdmin);
				Jwt jwt = this.tokens.decodeAccessToken(realm, token);
				if (jwt.hasClaim("cnf")) {
					// sender-constrained (DPoP): SCIM checks no proof, so it must not take the token alone
					throw new BadJwtException("A sender-constrained (DPoP) token is not accepted here");
				}
				return jwt;
			}
		};
	}

	/** The admin realm, whose tokens are accepted (for messages). */
	public String adminRealm() {
		return this.properties.realm();
	}

	/** The authenticated caller, when their token allows provisioning the realm. */
	public Optional<Provisioner> provisioner(String realm) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !(authentication.getPrincipal() instanceof Jwt token)) {
			return Optional.empty();
		}
		Optional<String> tokenRealm = realmOf(token.getIssuer());
		String clientId = token.getClaimAsString("client_id");
		if (tokenRealm.filter(this.properties.realm()::equals).isPresent() && this.tokens.isAdminClient(token)) {
			Administrator administrator = Administrator.of(token, this.properties.realm());
			return administrator.may(AdminPermission.PROVISION, realm)
					? Optional.of(new Provisioner(administrator.subject(), administrator.clientId()))
					: Optional.empty();
		}
		// client credentials: the client is the subject of its own token
		boolean ownToken = clientId != null && clientId.equals(token.getSubject());
		return (tokenRealm.filter(realm::equals).isPresent() && ownToken && scopes(token).contains(SCIM_SCOPE))
				? Optional.of(new Provisioner(clientId, clientId)) : Optional.empty();
	}

	/** The served realm a token's issuer names, read before its signature is checked (to know whose keys check it). */
	private Optional<Realm> claimedRealm(String token) {
		try {
			String issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
			return (issuer != null) ? realmOf(URI.create(issuer).toURL()).flatMap(this.realms::find) : Optional.empty();
		}
		catch (ParseException | IllegalArgumentException | MalformedURLException ex) {
			return Optional.empty();
		}
	}

	private static Optional<String> realmOf(URL issuer) {
		if (issuer == null) {
			return Optional.empty();
		}
		String path = issuer.getPath();
		int at = path.lastIndexOf(REALMS_PATH);
		return (at >= 0) ? Optional.of(path.substring(at + REALMS_PATH.length())) : Optional.empty();
	}

	/** The token's scopes: a list, or one space-separated string (RFC 9068 §2.2.3). */
	private static List<String> scopes(Jwt token) {
		Object scope = token.getClaim("scope");
		if (scope instanceof Collection<?> values) {
			return values.stream().map(String::valueOf).toList();
		}
		return (scope instanceof String text) ? List.of(text.split(" ")) : List.of();
	}

}
