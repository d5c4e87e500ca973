package jp.hitotsu.oidc;

import java.util.List;

import jp.hitotsu.realm.Realm;

/**
 * A check of a client given to the admin API that another feature owns, because the rule
 * lives in that feature's settings (the hosts a walled realm may send logout tokens to:
 * {@code session}). Its errors are listed with the registry's own, in one answer.
 */
public interface ClientInputCheck {

	/** What is wrong with the client in this realm, each naming its field; empty when nothing. */
	List<ClientInputError> check(Realm realm, ClientInput input);

}
