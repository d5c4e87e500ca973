package jp.hitotsu.login;

/**
 * A login session of a realm ended (the user logged out). Features that hold state tied
 * to the session (the authorizations granted in it) end it too.
 */
public record RealmLogoutEvent(RealmPrincipal principal) {
}
