package jp.hitotsu.console;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's protections, over HTTP: no page without a login through the admin realm
 * (code + PKCE, two factors), none for a person without an admin role, a CSRF token on
 * every form, and headers that forbid framing and inline scripts.
 */
class ConsoleSecurityTests extends ServerTest {

	/**
	 * Console pages of the staff realm, one per section; each section's tests add theirs.
	 * The CSRF and role checks below visit them all.
	 */
	static final List<String> PAGES = List.of("/admin", "/admin/realms/staff", "/admin/realms/staff/users?q=console",
			"/admin/realms/staff/transfers", "/admin/realms/staff/transfers/upload", "/admin/realms/staff/users/new",
			"/admin/realms/staff/audit", "/admin/realms/staff/audit?type=LOGIN&outcome=success",
			"/admin/realms/staff/audit/verification", "/admin/realms/staff/audit/checkpoints",
			"/admin/realms/staff/roles", "/admin/realms/staff/roles/new", "/admin/realms/staff/units",
			"/admin/realms/staff/units/new", "/admin/realms/staff/clients", "/admin/realms/staff/clients/new",
			"/admin/realms/staff/keys");

	@Test
	void pageWithoutLoginSendsTheBrowserToTheAdminRealmWithPkce() {
		Browserless browser = browser();
		HttpResponse<String> page = browser.get(uri("/admin/realms/staff/users"));
		assertThat(page.statusCode()).isEqualTo(302);
		HttpResponse<String> login = browser.get(Browserless.location(page));
		assertThat(login.statusCode()).isEqualTo(302);
		URI authorize = URI.create(base()).resolve(Browserless.location(login));
		assertThat(authorize.getPath()).isEqualTo("/realms/staff/oauth2/authorize");
		Map<String, String> query = UriComponentsBuilder.fromUri(authorize).build().getQueryParams().toSingleValueMap();
		assertThat(query).containsEntry("client_id", "admin-web")
			.containsEntry("response_type", "code")
			.containsEntry("code_challenge_method", "S256")
			.containsKeys("code_challenge", "state", "nonce");
		assertThat(query.get("scope")).contains("openid");
	}

	@Test
	void passwordAloneDoesNotOpenTheConsole() {
		Browserless browser = browser();
		HttpResponse<String> toLogin = ConsoleBrowser.follow(browser, base(), browser.get(uri("/admin")), new ArrayList<>());
		assertThat(toLogin.uri().getPath()).isEqualTo("/realms/staff/login");
		HttpResponse<String> afterPassword = browser.submit(toLogin, "form.login-form",
				Map.of("username", "console-super", "password", "console-super-test-pass"));
		HttpResponse<String> next = ConsoleBrowser.follow(browser, base(), afterPassword, new ArrayList<>());
		assertThat(next.uri().getPath()).isIn("/realms/staff/login/enroll", "/realms/staff/login/second-factor");
		assertThat(browser.get(uri("/admin")).statusCode()).isEqualTo(302);
	}

	@Test
	void personWithoutAdminRoleSeesNoConsolePage() {
		Browserless browser = browser();
		HttpResponse<String> home = ConsoleBrowser.login(browser, base(), "/admin", "console-norole",
				"console-norole-test-pass");
		assertThat(home.statusCode()).isEqualTo(403);
		assertThat(Jsoup.parse(home.body()).select("#no-admin-role")).hasSize(1);
		for (String page : PAGES.subList(1, PAGES.size())) {
			HttpResponse<String> refused = browser.get(uri(page));
			assertThat(refused.statusCode()).as(page).isEqualTo(403);
			assertThat(Jsoup.parse(refused.body()).select("#console-problem").attr("data-code")).as(page)
				.isEqualTo("forbidden");
		}
	}

	@Test
	void everyFormCarriesACsrfTokenAndAPostWithoutOneIsRefused() {
		Browserless browser = browser();
		ConsoleBrowser.login(browser, base(), "/admin", "console-super", "console-super-test-pass");
		for (String page : PAGES) {
			assertProtected(page, browser.get(uri(page)));
		}
		HttpResponse<String> forged = browser.post(uri("/admin/logout"), Map.of());
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(browser.get(uri("/admin")).statusCode()).as("still logged in").isEqualTo(200);
	}

	@Test
	void helpdeskSeesOnlyWhatItsRoleAllows() {
		Browserless browser = browser();
		HttpResponse<String> realm = ConsoleBrowser.login(browser, base(), "/admin/realms/staff", "console-helpdesk",
				"console-helpdesk-test-pass");
		assertThat(realm.statusCode()).isEqualTo(200);
		List<String> sections = Jsoup.parse(realm.body()).select("nav.account-nav a").eachAttr("href");
		assertThat(sections).contains("/admin/realms/staff/users")
			.doesNotContain("/admin/realms/staff/clients", "/admin/realms/staff/keys", "/admin/realms/staff/audit");
		assertThat(browser.get(uri("/admin/realms/staff/users?q=console")).statusCode()).isEqualTo(200);

		// what is typed reaches the API as data: braces are no template variables to expand
		for (String typed : List.of("%7Bx%7D", "%7Brealm%7D", "console-help%2B")) {
			HttpResponse<String> search = browser.get(uri("/admin/realms/staff/users?q=" + typed));
			assertThat(search.statusCode()).as(typed).isEqualTo(200);
			assertThat(Jsoup.parse(search.body()).select("#users-none")).as(typed + " finds no one").hasSize(1);
		}
	}

	/**
	 * A console page as it must be: 200, a CSRF token in each of its POST forms, a strict CSP
	 * without inline scripts, no framing.
	 */
	static void assertProtected(String page, HttpResponse<String> response) {
		assertThat(response.statusCode()).as(page).isEqualTo(200);
		Document document = Jsoup.parse(response.body());
		for (Element form : document.select("form[method=post]")) {
			assertThat(form.select("input[type=hidden][name=_csrf]").attr("value")).as(page + " " + form.attr("action"))
				.isNotBlank();
		}
		assertThat(response.headers().firstValue("Content-Security-Policy")).as(page)
			.hasValueSatisfying((csp) -> assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'")
				.doesNotContain("unsafe-inline"));
		assertThat(response.headers().firstValue("X-Frame-Options")).as(page).contains("DENY");
		assertThat(document.select("script:not([src])")).as(page + ": inline scripts").isEmpty();
	}

}
