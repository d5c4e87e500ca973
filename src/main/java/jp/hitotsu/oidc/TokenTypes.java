package jp.hitotsu.oidc;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;

/** The token classes an authorization may hold, with the type names lookups use. */
final class TokenTypes {

	static final Map<Class<? extends AbstractOAuth2Token>, String> ALL;

	static {
		Map<Class<? extends AbstractOAuth2Token>, String> all = new LinkedHashMap<>();
		all.put(OAuth2AuthorizationCode.class, OAuth2ParameterNames.CODE);
		all.put(OAuth2AccessToken.class, OAuth2ParameterNames.ACCESS_TOKEN);
		all.put(OAuth2RefreshToken.class, OAuth2ParameterNames.REFRESH_TOKEN);
		all.put(OidcIdToken.class, OidcParameterNames.ID_TOKEN);
		all.put(OAuth2DeviceCode.class, OAuth2ParameterNames.DEVICE_CODE);
		all.put(OAuth2UserCode.class, OAuth2ParameterNames.USER_CODE);
		ALL = Map.copyOf(all);
	}

	private TokenTypes() {
	}

}
