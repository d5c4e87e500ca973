package jp.hitotsu.oidc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import jp.hitotsu.account.Identity;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.stereotype.Component;

/** UserInfo from the directory as it is now, limited like the ID token. */
@Component
class RealmUserInfoMapper implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

	private final IdentityClaims claims;

	private final RealmClientRepository clients;

	RealmUserInfoMapper(IdentityClaims claims, RealmClientRepository clients) {
		this.claims = claims;
		this.clients = clients;
	}

	@Override
	public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
		OAuth2Authorization authorization = context.getAuthorization();
		String realm = RealmContext.require().name();
		Identity identity = this.claims.activeAccount(realm, authorization.getPrincipalName(),
				OAuth2ErrorCodes.INVALID_TOKEN);
		RegisteredClient client = this.clients.findById(authorization.getRegisteredClientId());
		Map<String, Object> userInfo = new LinkedHashMap<>();
		userInfo.put(StandardClaimNames.SUB, identity.subject());
		userInfo.putAll(this.claims.userClaims(identity, context.getAccessToken().getScopes(), client));
		return new OidcUserInfo(userInfo);
	}

}
