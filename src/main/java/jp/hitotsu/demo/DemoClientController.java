package jp.hitotsu.demo;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.langtag.LangTag;
import com.nimbusds.langtag.LangTagException;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jp.hitotsu.realm.OutsideMyNumberZone;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * A relying party served by the same process, behaving like any departmental
 * application: it discovers the realm's endpoints, sends the browser to the authorization
 * endpoint with PKCE (S256), state and nonce, exchanges the code at the token endpoint,
 * verifies the ID token and the access token against the realm's JWKS, and calls
 * UserInfo, all over HTTP with the Nimbus OAuth 2.0 SDK. It then shows what it received,
 * decoded, so an application developer sees in one minute what their application gets.
 *
 * <p>
 * It is a public client ({@code hitotsu-demo}) registered in each realm file with a
 * loopback redirect URI, which matches any port (RFC 8252).
 */
// it calls the server's own endpoints over HTTP, which the My Number zone never does
@Conditional(OutsideMyNumberZone.class)
@Controller
class DemoClientController {

	static final String CLIENT_ID = "hitotsu-demo";

	private static final Logger logger = LoggerFactory.getLogger(DemoClientController.class);

	private static final int TIMEOUT_MILLIS = 5000;

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	private final RealmRegistry realms;

	DemoClientController(RealmRegistry realms) {
		this.realms = realms;
	}

	@GetMapping("/demo/{realmName}/start")
	String start(@PathVariable String realmName, HttpSession session, Locale locale)
			throws GeneralException, IOException {
		Realm realm = realm(realmName);
		OIDCProviderMetadata provider = discover(realm);
		PendingLogin pending = new PendingLogin(new State().getValue(), new Nonce().getValue(),
				new CodeVerifier().getValue(), callbackUri(realm));
		session.setAttribute(sessionKey(realm), pending);
		AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE,
				new Scope("openid", "profile", "email"), new ClientID(CLIENT_ID), URI.create(pending.redirectUri()))
			.endpointURI(provider.getAuthorizationEndpointURI())
			.state(new State(pending.state()))
			.nonce(new Nonce(pending.nonce()))
			.codeChallenge(new CodeVerifier(pending.codeVerifier()), CodeChallengeMethod.S256);
		try {
			request.uiLocales(java.util.List.of(LangTag.parse(locale.getLanguage())));
		}
		catch (LangTagException ex) {
			// no language hint then
		}
		return "redirect:" + request.build().toURI();
	}

	@GetMapping("/demo/{realmName}/callback")
	String callback(@PathVariable String realmName, HttpServletRequest request, HttpSession session, Model model)
			throws GeneralException, IOException {
		Realm realm = realm(realmName);
		model.addAttribute("realm", realm);
		PendingLogin pending = (PendingLogin) session.getAttribute(sessionKey(realm));
		session.removeAttribute(sessionKey(realm));
		if (pending == null) {
			return failure(model, "demo.error.no-pending-login", null);
		}
		AuthenticationResponse response;
		try {
			response = AuthenticationResponseParser.parse(URI.create(ServletUriComponentsBuilder.fromRequest(request)
				.build()
				.toUriString()));
		}
		catch (com.nimbusds.oauth2.sdk.ParseException ex) {
			return failure(model, "demo.error.bad-response", ex.getMessage());
		}
		if (!pending.state().equals(response.getState() != null ? response.getState().getValue() : null)) {
			return failure(model, "demo.error.state", null);
		}
		if (response instanceof AuthenticationErrorResponse error) {
			return failure(model, "demo.error.authorization", describe(error.getErrorObject()));
		}
		AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
		OIDCProviderMetadata provider = discover(realm);
		TokenRequest tokenRequest = new TokenRequest(provider.getTokenEndpointURI(), new ClientID(CLIENT_ID),
				new AuthorizationCodeGrant(code, URI.create(pending.redirectUri()), new CodeVerifier(pending.codeVerifier())));
		TokenResponse tokenResponse = OIDCTokenResponseParser.parse(send(tokenRequest.toHTTPRequest()));
		if (!tokenResponse.indicatesSuccess()) {
			return failure(model, "demo.error.token", describe(tokenResponse.toErrorResponse().getErrorObject()));
		}
		OIDCTokenResponse tokens = (OIDCTokenResponse) tokenResponse.toSuccessResponse();
		JWKSource<SecurityContext> jwks = JWKSourceBuilder.create(provider.getJWKSetURI().toURL())
			.retrying(false)
			.build();
		Set<JWSAlgorithm> algorithms = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
		try {
			IDTokenValidator idTokenValidator = new IDTokenValidator(provider.getIssuer(), new ClientID(CLIENT_ID),
					new JWSVerificationKeySelector<>(algorithms, jwks), null);
			JWTClaimsSet idClaims = idTokenValidator
				.validate(tokens.getOIDCTokens().getIDToken(), new Nonce(pending.nonce()))
				.toJWTClaimsSet();
			AccessToken accessToken = tokens.getOIDCTokens().getAccessToken();
			JWTClaimsSet accessClaims = verifyAccessToken(accessToken.getValue(), provider.getIssuer(), jwks, algorithms);
			UserInfoResponse userInfo = UserInfoResponse
				.parse(send(new UserInfoRequest(provider.getUserInfoEndpointURI(), accessToken).toHTTPRequest()));
			model.addAttribute("idTokenHeader",
					json(((SignedJWT) tokens.getOIDCTokens().getIDToken()).getHeader().toJSONObject()));
			model.addAttribute("idTokenClaims", json(idClaims.toJSONObject()));
			model.addAttribute("accessTokenHeader", json(SignedJWT.parse(accessToken.getValue()).getHeader().toJSONObject()));
			model.addAttribute("accessTokenClaims", json(accessClaims.toJSONObject()));
			model.addAttribute("userInfo", userInfo.indicatesSuccess()
					? json(userInfo.toSuccessResponse().getUserInfo().toJSONObject())
					: describe(userInfo.toErrorResponse().getErrorObject()));
			model.addAttribute("endSession", provider.getEndSessionEndpointURI() + "?id_token_hint="
					+ tokens.getOIDCTokens().getIDTokenString() + "&client_id=" + CLIENT_ID);
			model.addAttribute("issuer", provider.getIssuer().getValue());
			return "demo-result";
		}
		catch (BadJOSEException | JOSEException | ParseException ex) {
			logger.warn("Demo client could not verify the tokens of realm '{}'", realm.name(), ex);
			return failure(model, "demo.error.verification", ex.getMessage());
		}
	}

	private static JWTClaimsSet verifyAccessToken(String token, Issuer issuer, JWKSource<SecurityContext> jwks,
			Set<JWSAlgorithm> algorithms) throws ParseException, BadJOSEException, JOSEException {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, jwks));
		JWTClaimsSet claims = processor.process(token, null);
		if (!issuer.getValue().equals(claims.getIssuer())) {
			throw new BadJOSEException("The access token's issuer is " + claims.getIssuer());
		}
		return claims;
	}

	private String failure(Model model, String messageKey, String detail) {
		model.addAttribute("errorKey", messageKey);
		model.addAttribute("errorDetail", detail);
		return "demo-result";
	}

	private Realm realm(String name) {
		return this.realms.find(name)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No realm '" + name + "'"));
	}

	private static OIDCProviderMetadata discover(Realm realm) throws GeneralException, IOException {
		Issuer issuer = new Issuer(baseUri() + realm.issuerPath());
		return OIDCProviderMetadata.resolve(issuer, TIMEOUT_MILLIS, TIMEOUT_MILLIS);
	}

	private static com.nimbusds.oauth2.sdk.http.HTTPResponse send(HTTPRequest request) throws IOException {
		request.setConnectTimeout(TIMEOUT_MILLIS);
		request.setReadTimeout(TIMEOUT_MILLIS);
		return request.send();
	}

	private static String callbackUri(Realm realm) {
		return baseUri() + "/demo/" + realm.name() + "/callback";
	}

	/** The base URL the browser used: the issuer the tokens will name. */
	private static String baseUri() {
		return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
	}

	private static String sessionKey(Realm realm) {
		return "hitotsu.demo-client." + realm.name();
	}

	private static String describe(ErrorObject error) {
		return error.getCode() + ((error.getDescription() != null) ? ": " + error.getDescription() : "");
	}

	private static String json(Map<String, Object> value) {
		return JSON.writeValueAsString(new LinkedHashMap<>(value));
	}

	/** What the demo client remembers between sending the browser away and its return. */
	record PendingLogin(String state, String nonce, String codeVerifier, String redirectUri) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

}
