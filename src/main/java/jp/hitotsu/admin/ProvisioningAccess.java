package jp.hitotsu.admin;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.stereotype.Component;

/**
 * The door the SCIM API (provisioning package) uses to the admin API's authorization: the
 * same admin-realm access tokens, and the roles {@code scim:R}, {@code realm-admin[:R]} and
 * {@code super-admin} allow provisioning realm {@code R}.
 */
@Component
public class ProvisioningAccess {

	private final AdminTokenDecoder tokens;

	private final AdminProperties properties;

	ProvisioningAccess(AdminTokenDecoder tokens, AdminProperties properties) {
		this.tokens = tokens;
		this.properties = properties;
	}

	/**
	 * The caller of a provisioning request.
	 * @param subject their account in the admin realm
	 * @param clientId the admin client their token was issued to
	 */
	public record Provisioner(String subject, String clientId) {
	}

	/** Accepts admin-realm access tokens of admin clients only, as the admin API does. */
	public JwtDecoder tokenDecoder() {
		return this.tokens;
	}

	/** The admin realm, whose tokens are accepted (for messages). */
	public String adminRealm() {
		return this.properties.realm();
	}

	/** The authenticated caller, when their roles allow provisioning the realm. */
	public Optional<Provisioner> provisioner(String realm) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !(authentication.getPrincipal() instanceof Jwt token)) {
			return Optional.empty();
		}
		Administrator administrator = Administrator.of(token, this.properties.realm());
		return administrator.may(AdminPermission.PROVISION, realm)
				? Optional.of(new Provisioner(administrator.subject(), administrator.clientId())) : Optional.empty();
	}

}
