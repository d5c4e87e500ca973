package jp.hitotsu.oidc;

import jp.hitotsu.login.RealmAuthentication;

/**
 * A client received tokens in a realm login session by a code exchange (or any grant but a
 * refresh, which only continues what such a grant recorded), so it must hear when that
 * session ends (back-channel logout).
 *
 * @param issuer the issuer the tokens name, which the logout token must name too
 */
public record ClientTokensIssuedEvent(String realm, String issuer, String clientId, RealmAuthentication login) {
}
