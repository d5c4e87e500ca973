package jp.hitotsu.login;

import java.util.List;

import jp.hitotsu.account.AccountDisabledEvent;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ends a disabled account's logins to its realm in every browser session at once, in the
 * transaction that disables it: its next request to the realm finds no login and is sent
 * to the login page (which refuses the account). The rest of those browser sessions, and
 * their logins to other realms, stay.
 *
 * <p>
 * Works on Spring Session's tables directly because sessions are found by the account's
 * mark attribute (see {@link RealmSecurityContextRepository}), which its API cannot search.
 */
@Component
class DisabledAccountLogins {

	private final JdbcClient jdbc;

	DisabledAccountLogins(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void onAccountDisabled(AccountDisabledEvent event) {
		List<String> attributes = RealmSecurityContextRepository.loginAttributes(event.realm(), event.subject());
		this.jdbc.sql("""
				delete from spring_session_attributes
				where session_primary_id in (select session_primary_id from spring_session_attributes
				    where attribute_name = :mark)
				  and attribute_name = any(:names)
				""")
			.param("mark", attributes.get(attributes.size() - 1))
			.param("names", attributes.toArray(String[]::new))
			.update();
	}

}
