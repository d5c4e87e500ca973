package jp.hitotsu.login;

import java.util.List;

import jp.hitotsu.realm.DisplayName;
import jp.hitotsu.realm.Realm;

/**
 * Another way to log in that the login page offers beside the password (an upstream
 * OpenID provider), as a button that leads to {@link Button#path}.
 */
public interface LoginOption {

	List<Button> buttons(Realm realm);

	/** A button of the login page: its text and the path it leads to. */
	record Button(DisplayName label, String path) {
	}

}
