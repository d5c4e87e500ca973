package example.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The API programs call with an access token of the realm. */
@RestController
class ApiController {

	/** Any valid access token for this application. */
	@GetMapping("/api/me")
	Map<String, Object> me(@AuthenticationPrincipal Jwt token, Authentication authentication) {
		Map<String, Object> me = new LinkedHashMap<>();
		me.put("sub", token.getSubject());
		// the client that obtained the token (another system after a token exchange: see act)
		me.put("client_id", token.getClaimAsString("client_id"));
		me.put("authorities", authorities(authentication));
		// null unless the token was issued with scope organization
		me.put("org", token.getClaimAsString("org"));
		me.put("orgs", token.getClaimAsStringList("orgs"));
		return me;
	}

	/** Only with the role {@code ledger-approver} (see SecurityConfiguration). */
	@GetMapping("/api/approvals")
	Map<String, Object> approvals(@AuthenticationPrincipal Jwt token) {
		return Map.of("approver", token.getSubject(), "pending", List.of());
	}

	private static List<String> authorities(Authentication authentication) {
		return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
	}

}
