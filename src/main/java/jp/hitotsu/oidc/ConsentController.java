package jp.hitotsu.oidc;

import java.util.List;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.login.RealmAuthentication;
import jp.hitotsu.login.RealmLogins;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmContext;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * Asks the person whether a client that requires consent may have the scopes it asked for.
 * The answer goes back to the realm's authorization endpoint, which records it; for a
 * device (a {@code user_code} comes along), to the realm's device page, and the page shows
 * the code so that the person can compare it with the device's.
 */
@Controller
class ConsentController {

	static final String PATH = "/consent";

	private final PostgresAuthorizationService authorizations;

	private final OAuth2AuthorizationConsentService consents;

	private final RealmClientRepository clients;

	private final RealmRegistry realms;

	private final RealmLogins logins;

	ConsentController(PostgresAuthorizationService authorizations, OAuth2AuthorizationConsentService consents,
			RealmClientRepository clients, RealmRegistry realms, RealmLogins logins) {
		this.authorizations = authorizations;
		this.consents = consents;
		this.clients = clients;
		this.realms = realms;
		this.logins = logins;
	}

	@GetMapping(PATH)
	String consent(@RequestParam("client_id") String clientId, @RequestParam(name = "scope", defaultValue = "") String scope,
			@RequestParam String state, @RequestParam(name = "user_code", required = false) String userCode,
			HttpServletRequest request, Model model) {
		Realm realm = this.authorizations.realmOfPendingConsent(state)
			.flatMap(this.realms::find)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST, "No authorization waits for consent"));
		RealmAuthentication login = this.logins.current(request, realm)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST, "Not logged in to the realm"));
		RegisteredClient client = RealmContext.callIn(realm, () -> this.clients.findByClientId(clientId));
		if (client == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Unknown client");
		}
		OAuth2AuthorizationConsent previous = this.consents.findById(client.getId(), login.getName());
		Set<String> alreadyGranted = (previous != null) ? previous.getScopes() : Set.of();
		List<String> requested = List.of(scope.split(" "))
			.stream()
			.filter((name) -> !name.isBlank() && !OidcScopes.OPENID.equals(name))
			.toList();
		model.addAttribute("realm", realm);
		model.addAttribute("clientId", clientId);
		model.addAttribute("clientName", client.getClientName());
		model.addAttribute("state", state);
		model.addAttribute("username", login.getPrincipal().username());
		model.addAttribute("newScopes", requested.stream().filter((name) -> !alreadyGranted.contains(name)).toList());
		model.addAttribute("grantedScopes", requested.stream().filter(alreadyGranted::contains).toList());
		model.addAttribute("userCode", userCode);
		model.addAttribute("action",
				realm.issuerPath() + ((userCode != null) ? DeviceVerification.PAGE : "/oauth2/authorize"));
		return "consent";
	}


}
