package jp.hitotsu.web;

import java.util.function.Predicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall, with the same rules for header names and values but
 * checked without a regular expression. The default rules (assigned code points, no control
 * characters, for values tab allowed) run a regex over the whole value at every {@code getHeader} call, and a bearer token
 * request reads its {@code Authorization} header (about 1 KB) several times: on UserInfo
 * that was a third of the server's CPU. Printable ASCII is accepted at once; anything else
 * is judged by its Unicode category exactly as the regex did.
 */
@Configuration(proxyBeanMethods = false)
class FirewallConfiguration {

	/** Header names: assigned and not a control character, for every code point. */
	static final Predicate<String> HEADER_NAME = (value) -> assignedAndNotControl(value, false);

	/** Header values: the same, tab allowed. */
	static final Predicate<String> HEADER_VALUE = (value) -> assignedAndNotControl(value, true);

	private static boolean assignedAndNotControl(String value, boolean tabAllowed) {
		int length = value.length();
		for (int i = 0; i < length;) {
			char c = value.charAt(i);
			if (c >= 0x20 && c < 0x7f) {
				i++;
				continue;
			}
			int codePoint = value.codePointAt(i);
			int type = Character.getType(codePoint);
			if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tabAllowed && c == '\t'))) {
				return false;
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

	@Bean
	HttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(HEADER_NAME);
		firewall.setAllowedHeaderValues(HEADER_VALUE);
		return firewall;
	}

}
