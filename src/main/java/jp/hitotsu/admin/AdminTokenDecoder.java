package jp.hitotsu.admin;

import java.util.Set;

import jp.hitotsu.oidc.RealmAccessTokenDecoder;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * Accepts only access tokens of the admin realm issued to an admin client. The signature,
 * expiry and issuer are checked by the realm's own decoder with the admin realm bound,
 * whatever realm the request is about: a token of the realm being administered is no
 * admin token. ID tokens carry the same issuer, keys and roles, so the RFC 9068 type
 * ({@code at+jwt}) tells them apart.
 */
@Component
class AdminTokenDecoder implements JwtDecoder {

	private static final String ACCESS_TOKEN_TYPE = "at+jwt";

	private final RealmAccessTokenDecoder realmTokens;

	private final RealmRegistry realms;

	private final AdminProperties properties;

	private final Set<String> clients;

	AdminTokenDecoder(RealmAccessTokenDecoder realmTokens, RealmRegistry realms, AdminProperties properties) {
		this.realmTokens = realmTokens;
		this.realms = realms;
		this.properties = properties;
		this.clients = Set.copyOf(properties.clients());
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Realm adminRealm = this.realms.find(this.properties.realm())
			.orElseThrow(() -> new BadJwtException(
					"The admin realm '" + this.properties.realm() + "' is not served by this process"));
		Jwt jwt = decodeAccessToken(adminRealm, token);
		if (!isAdminClient(jwt)) {
			throw new BadJwtException("The token was not issued to an admin client");
		}
		return jwt;
	}

	/** Whether the token was issued to one of the admin clients (whatever its realm). */
	boolean isAdminClient(Jwt jwt) {
		return this.clients.contains(jwt.getClaimAsString("client_id"));
	}

	/** An access token of the realm: its keys, its issuer, unexpired, of the access token type. */
	Jwt decodeAccessToken(Realm realm, String token) {
		Jwt jwt = RealmContext.callIn(realm, () -> this.realmTokens.decode(token));
		if (!ACCESS_TOKEN_TYPE.equals(jwt.getHeaders().get("typ"))) {
			throw new BadJwtException("Not an access token (typ " + ACCESS_TOKEN_TYPE + ")");
		}
		return jwt;
	}

}
