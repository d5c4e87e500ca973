package jp.hitotsu.login;

/**
 * A login session of a realm ended. Features that hold state tied to the session (the
 * authorizations granted in it, the clients that were told about it) end it too.
 *
 * @param reason why it ended: {@link #USER} when the user logged out, or what an other
 * feature gave ({@code admin}, {@code expired})
 */
public record RealmLogoutEvent(RealmPrincipal principal, String reason) {

	public static final String USER = "logout";

	public RealmLogoutEvent(RealmPrincipal principal) {
		this(principal, USER);
	}

}
