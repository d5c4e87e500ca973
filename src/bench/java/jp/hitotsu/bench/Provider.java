package jp.hitotsu.bench;

import java.net.URI;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The endpoints of the provider under test, taken from its discovery document
 * ({@code {issuer}/.well-known/openid-configuration}), as any relying party finds them.
 */
public record Provider(String issuer, URI discovery, URI authorization, URI token, URI introspection, URI userInfo,
		URI jwks) {

	public static Provider discover(String issuer) {
		URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
		JsonNode document = Http.getJson(discovery);
		String announced = document.path("issuer").asText();
		if (!issuer.equals(announced)) {
			throw new IllegalStateException("discovery at " + discovery + " names issuer " + announced + ", not " + issuer);
		}
		return new Provider(issuer, discovery, endpoint(document, "authorization_endpoint"),
				endpoint(document, "token_endpoint"), endpoint(document, "introspection_endpoint"),
				endpoint(document, "userinfo_endpoint"), endpoint(document, "jwks_uri"));
	}

	private static URI endpoint(JsonNode document, String name) {
		String value = document.path(name).asText(null);
		if (value == null) {
			throw new IllegalStateException("discovery document has no " + name);
		}
		return URI.create(value);
	}

	public String authorizationRequest(String clientId, String redirectUri, String scope, String state, String nonce,
			String codeChallenge) {
		return this.authorization + (this.authorization.getRawQuery() == null ? "?" : "&")
				+ Http.form(java.util.Map.of("response_type", "code", "client_id", clientId, "redirect_uri", redirectUri,
						"scope", scope, "state", state, "nonce", nonce, "code_challenge", codeChallenge,
						"code_challenge_method", "S256"));
	}

}
