package jp.hitotsu.account;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An account's version as an HTTP entity tag, the same for SCIM and the admin API: weak
 * ({@code W/"n"}), because the representations differ while the account is the same.
 */
public final class AccountVersions {

	private static final Pattern ETAG = Pattern.compile("\\s*(?:W/)?\"(\\d{1,18})\"\\s*");

	private AccountVersions() {
	}

	public static String etag(long version) {
		return "W/\"" + version + "\"";
	}

	/**
	 * The version an {@code If-Match} header asks for: {@code null} for none or {@code *};
	 * -1 (matching nothing) for a tag this server never gave.
	 */
	public static Long expected(String ifMatch) {
		if (ifMatch == null || ifMatch.strip().equals("*")) {
			return null;
		}
		Matcher matcher = ETAG.matcher(ifMatch);
		return matcher.matches() ? Long.valueOf(matcher.group(1)) : -1L;
	}

}
