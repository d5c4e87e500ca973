package jp.hitotsu.console;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client form of the console as the browser posts it: lists as text (URIs one per line,
 * scopes and roles separated by spaces or commas), check boxes absent when unticked. It
 * becomes the admin API's client body; the API checks it and names each bad field.
 *
 * <p>Read from the request's parameters by name rather than bound by Spring: each grant
 * type's box has a name of its own (the server refuses a repeated parameter), and binding a
 * list from indexed names fails with a 500 on a forged index out of range.
 */
public record ClientForm(String clientId, String name, String type, String authenticationMethod, List<String> grantTypes,
		String redirectUris, String postLogoutRedirectUris, String scopes, String roles, String accessTokenLifetime,
		String refreshTokenLifetime, Boolean requirePkce, Boolean requireConsent, String backchannelLogoutUri,
		String frontchannelLogoutUri) {

	/** The fields of the form, in its order: the API's errors are shown beside them. */
	static final List<String> FIELDS = List.of("clientId", "name", "type", "authenticationMethod", "grantTypes",
			"redirectUris", "postLogoutRedirectUris", "scopes", "roles", "accessTokenLifetime", "refreshTokenLifetime",
			"requirePkce", "requireConsent", "backchannelLogoutUri", "frontchannelLogoutUri");

	/**
	 * The client fields the form does not show: a change through the form keeps what the
	 * client has (the API's PUT replaces the whole client).
	 */
	private static final List<String> KEPT = List.of("requireVerifiedEmail", "requirePushedAuthorizationRequests",
			"tokenExchangeAudiences", "backchannelLogoutSessionRequired", "frontchannelLogoutSessionRequired",
			"verifiedClaims", "minimumIal");

	/** The grant types the form offers, each with the short name of its box and its words. */
	static final Map<String, String> GRANTS;

	static {
		Map<String, String> grants = new LinkedHashMap<>();
		grants.put("authorization_code", "authorization_code");
		grants.put("refresh_token", "refresh_token");
		grants.put("client_credentials", "client_credentials");
		grants.put("urn:ietf:params:oauth:grant-type:device_code", "device_code");
		grants.put("urn:ietf:params:oauth:grant-type:token-exchange", "token-exchange");
		GRANTS = Collections.unmodifiableMap(grants);
	}

	/** The form as posted: absent fields empty, a box ticked when its parameter is there. */
	static ClientForm from(Map<String, String> parameters) {
		return new ClientForm(parameters.get("clientId"), parameters.get("name"), parameters.get("type"),
				parameters.get("authenticationMethod"),
				GRANTS.entrySet()
					.stream()
					.filter((grant) -> parameters.containsKey("grantTypes-" + grant.getValue()))
					.map(Map.Entry::getKey)
					.toList(),
				parameters.get("redirectUris"), parameters.get("postLogoutRedirectUris"), parameters.get("scopes"),
				parameters.get("roles"), parameters.get("accessTokenLifetime"), parameters.get("refreshTokenLifetime"),
				parameters.containsKey("requirePkce"), parameters.containsKey("requireConsent"),
				parameters.get("backchannelLogoutUri"), parameters.get("frontchannelLogoutUri"));
	}

	/** What a new registration starts from: a web application logging people in. */
	static ClientForm blank() {
		return new ClientForm("", "", "confidential", "", List.of("authorization_code", "refresh_token"), "", "",
				"openid profile", "", "", "", true, false, "", "");
	}

	/** The form holding a client as the API shows it. */
	static ClientForm of(Map<String, Object> client) {
		return new ClientForm(text(client.get("clientId")), text(client.get("name")), text(client.get("type")),
				text(client.get("authenticationMethod")), strings(client.get("grantTypes")),
				String.join("\n", strings(client.get("redirectUris"))),
				String.join("\n", strings(client.get("postLogoutRedirectUris"))),
				String.join(" ", strings(client.get("scopes"))), String.join(" ", strings(client.get("roles"))),
				text(client.get("accessTokenLifetime")), text(client.get("refreshTokenLifetime")),
				Boolean.TRUE.equals(client.get("requirePkce")), Boolean.TRUE.equals(client.get("requireConsent")),
				text(client.get("backchannelLogoutUri")), text(client.get("frontchannelLogoutUri")));
	}

	/** The body of {@code POST .../clients}: what was typed, blank fields left to the API's defaults. */
	Map<String, Object> registration() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("clientId", ConsoleForms.blankToNull(this.clientId));
		body.put("type", ConsoleForms.blankToNull(this.type));
		putFields(body);
		return body;
	}

	/**
	 * The body of {@code PUT .../clients/{id}}: the form's fields over the client as it is,
	 * so what the form does not show stays.
	 */
	Map<String, Object> replacing(Map<String, Object> current) {
		Map<String, Object> body = new LinkedHashMap<>();
		for (String field : KEPT) {
			body.put(field, current.get(field));
		}
		putFields(body);
		return body;
	}

	private void putFields(Map<String, Object> body) {
		body.put("name", ConsoleForms.blankToNull(this.name));
		body.put("authenticationMethod", ConsoleForms.blankToNull(this.authenticationMethod));
		body.put("grantTypes", (this.grantTypes != null) ? this.grantTypes : List.of());
		body.put("redirectUris", split(this.redirectUris, "\\s*[\\r\\n]+\\s*"));
		body.put("postLogoutRedirectUris", split(this.postLogoutRedirectUris, "\\s*[\\r\\n]+\\s*"));
		body.put("scopes", split(this.scopes, "[\\s,]+"));
		body.put("roles", split(this.roles, "[\\s,]+"));
		body.put("accessTokenLifetime", ConsoleForms.blankToNull(this.accessTokenLifetime));
		body.put("refreshTokenLifetime", ConsoleForms.blankToNull(this.refreshTokenLifetime));
		body.put("requirePkce", Boolean.TRUE.equals(this.requirePkce));
		body.put("requireConsent", Boolean.TRUE.equals(this.requireConsent));
		body.put("backchannelLogoutUri", ConsoleForms.blankToNull(this.backchannelLogoutUri));
		body.put("frontchannelLogoutUri", ConsoleForms.blankToNull(this.frontchannelLogoutUri));
	}

	/** Whether a grant type is ticked. */
	public boolean grants(String grantType) {
		return this.grantTypes != null && this.grantTypes.contains(grantType);
	}

	private static List<String> split(String text, String separator) {
		if (text == null || text.isBlank()) {
			return List.of();
		}
		return Arrays.stream(text.strip().split(separator)).filter((part) -> !part.isBlank()).toList();
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : "";
	}

	private static List<String> strings(Object value) {
		return (value instanceof List<?> list) ? list.stream().map(String::valueOf).toList() : List.of();
	}

}
