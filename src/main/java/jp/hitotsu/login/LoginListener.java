package jp.hitotsu.login;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.realm.Realm;

/**
 * Told of each login once it is complete, in the browser's request: a feature that waits
 * for a person to prove their account (federation, linking an upstream identity to it)
 * finishes its work here without the login package knowing it.
 */
public interface LoginListener {

	void loggedIn(HttpServletRequest request, Realm realm, RealmAuthentication login);

}
