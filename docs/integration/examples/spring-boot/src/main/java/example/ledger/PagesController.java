package example.ledger;

import java.util.List;
import java.util.Objects;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

/** Who is signed in, as the ID token (and UserInfo) of Hitotsu say. */
@RestController
class PagesController {

	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	String home(@AuthenticationPrincipal OidcUser person, CsrfToken csrf) {
		// roles: only those the client lists in Hitotsu; org/org_name/orgs: scope organization
		List<String> roles = person.getClaimAsStringList(SecurityConfiguration.ROLES);
		return page("Ledger", """
				<p>Signed in as <span id="name">%s</span> (sub <code id="sub">%s</code>)</p>
				<p>Roles: <span id="roles">%s</span></p>
				<p>Unit: <span id="org">%s</span> %s</p>
				<form method="post" action="/logout">
				  <input type="hidden" name="%s" value="%s">
				  <button type="submit">Log out</button>
				</form>
				""".formatted(htmlEscape(person.getFullName()), htmlEscape(person.getSubject()),
				htmlEscape((roles != null) ? String.join(", ", roles) : ""),
				htmlEscape(Objects.toString(person.getClaimAsString("org"), "")),
				htmlEscape(Objects.toString(person.getClaimAsString("org_name"), "")), csrf.getParameterName(),
				csrf.getToken()));
	}

	@GetMapping(path = "/signed-out", produces = MediaType.TEXT_HTML_VALUE)
	String signedOut() {
		return page("Signed out", "<p>You are signed out. <a href=\"/\">Sign in again</a></p>");
	}

	private static String page(String title, String body) {
		return """
				<!DOCTYPE html>
				<html lang="en"><head><meta charset="utf-8"><title>%s</title></head>
				<body><main><h1>%s</h1>
				%s</main></body></html>
				""".formatted(title, title, body);
	}

}
