package jp.hitotsu.login;

import java.util.Collection;
import java.util.List;

import jp.hitotsu.account.AccountDisabledEvent;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ends an account's logins to its realm in the browser sessions that hold them, from
 * outside those browsers: all of them when the account is disabled (in the transaction that
 * disables it), or chosen realm sessions when an administrator or expiry ends them. Their
 * next request to the realm finds no login and is sent to the login page. The rest of those
 * browser sessions, and their logins to other realms, stay.
 *
 * <p>
 * Works on Spring Session's tables directly because sessions are found by the marks the
 * login left in them (see {@link RealmSecurityContextRepository}), which its API cannot
 * search.
 */
@Component
class LoginsElsewhere {

	private final JdbcClient jdbc;

	LoginsElsewhere(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void onAccountDisabled(AccountDisabledEvent event) {
		end(event.realm(), event.subject(), List.of());
	}

	/** @param sessionIds the realm sessions to end; empty for every login of the account */
	void end(String realm, String subject, Collection<String> sessionIds) {
		List<String> attributes = RealmSecurityContextRepository.loginAttributes(realm, subject);
		String[] marks = sessionIds.isEmpty() ? new String[] { attributes.get(attributes.size() - 1) }
				: sessionIds.stream().map((id) -> RealmSecurityContextRepository.sessionAttribute(realm, id))
					.toArray(String[]::new);
		this.jdbc.sql("""
				delete from spring_session_attributes
				where session_primary_id in (select session_primary_id from spring_session_attributes
				    where attribute_name = any(:marks))
				  and (attribute_name = any(:names) or starts_with(attribute_name, :sessionMarks))
				""")
			.param("marks", marks)
			.param("names", attributes.toArray(String[]::new))
			.param("sessionMarks", RealmSecurityContextRepository.sessionAttribute(realm, ""))
			.update();
	}

}
