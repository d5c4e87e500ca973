package jp.hitotsu.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cookies of one browserless login, kept by hand. Keycloak marks its cookies
 * {@code Secure} even on http://127.0.0.1, and HTTP clients (Gatling's cookie jar, the
 * JDK's CookieManager) then never send them back over plain HTTP; a browser treats
 * loopback as a secure context and does. All requests of a login go to one host, so
 * every live cookie is sent with every request (paths are not needed to tell them apart).
 */
public final class Cookies {

	private final Map<String, String> values = new LinkedHashMap<>();

	/** Applies the {@code Set-Cookie} headers of a response. */
	public Cookies update(List<String> setCookieHeaders) {
		if (setCookieHeaders == null) {
			return this;
		}
		for (String header : setCookieHeaders) {
			String[] parts = header.split(";");
			int eq = parts[0].indexOf('=');
			if (eq <= 0) {
				continue;
			}
			String name = parts[0].substring(0, eq).trim();
			String value = parts[0].substring(eq + 1).trim();
			boolean expired = value.isEmpty();
			for (int i = 1; i < parts.length; i++) {
				String attribute = parts[i].trim().toLowerCase(Locale.ROOT);
				if (attribute.startsWith("max-age=")) {
					expired |= attribute.substring(8).trim().startsWith("0") || attribute.substring(8).trim().startsWith("-");
				}
				else if (attribute.startsWith("expires=") && attribute.contains("1970")) {
					expired = true;
				}
			}
			if (expired) {
				this.values.remove(name);
			}
			else {
				this.values.put(name, value);
			}
		}
		return this;
	}

	/** The {@code Cookie} request header; empty when there is no cookie. */
	public String header() {
		return this.values.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
	}

	public boolean isEmpty() {
		return this.values.isEmpty();
	}

}
