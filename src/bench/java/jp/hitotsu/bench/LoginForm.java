package jp.hitotsu.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The password form of a login page, found as a person finds it: the form that holds a
 * password field. Its hidden fields (CSRF tokens, Keycloak's credentialId) are sent back
 * as they are; the first text-like field gets the username.
 *
 * @param action absolute URL the form posts to
 * @param fields the fields to post, the username and password filled in
 */
public record LoginForm(URI action, List<Map.Entry<String, String>> fields) {

	/** Finds the password form in a page; throws when the page has none. */
	public static LoginForm parse(String html, URI page, String username, String password) {
		Document document = Jsoup.parse(html, page.toString());
		Element form = null;
		for (Element candidate : document.select("form")) {
			if (candidate.selectFirst("input[type=password]") != null) {
				form = candidate;
				break;
			}
		}
		if (form == null) {
			String title = document.title();
			throw new IllegalStateException("no password form on " + page + " (page title: '" + title + "')");
		}
		String method = form.attr("method");
		if (!method.isEmpty() && !method.equalsIgnoreCase("post")) {
			throw new IllegalStateException("the password form on " + page + " uses method " + method);
		}
		String action = form.hasAttr("action") ? form.absUrl("action") : page.toString();
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		boolean usernameSet = false;
		for (Element input : form.select("input[name]")) {
			String type = input.attr("type").toLowerCase(Locale.ROOT);
			String name = input.attr("name");
			switch (type) {
				case "password" -> fields.add(Map.entry(name, password));
				case "hidden" -> fields.add(Map.entry(name, input.attr("value")));
				case "checkbox", "radio", "submit", "button", "image", "reset", "file" -> {
					// left unchecked / not clicked, as a person who only types would
				}
				default -> {
					if (!usernameSet) {
						fields.add(Map.entry(name, username));
						usernameSet = true;
					}
					else {
						fields.add(Map.entry(name, input.attr("value")));
					}
				}
			}
		}
		if (!usernameSet) {
			throw new IllegalStateException("the password form on " + page + " has no username field");
		}
		return new LoginForm(URI.create(action), fields);
	}

	public String body() {
		return this.fields.stream()
			.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

}
