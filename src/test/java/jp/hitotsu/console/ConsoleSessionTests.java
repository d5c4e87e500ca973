package jp.hitotsu.console;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end of a console login: "Log out" ends the console's session and the realm login
 * under it (RP-initiated logout with the console's ID token), so the next visit asks for
 * the password again.
 */
class ConsoleSessionTests extends ServerTest {

	@Test
	void logoutEndsTheConsoleSessionAndTheRealmLogin() {
		Browserless browser = browser();
		HttpResponse<String> page = ConsoleBrowser.login(browser, base(), "/admin/realms/staff", "console-renew",
				"console-renew-test-pass");
		assertThat(page.statusCode()).isEqualTo(200);

		HttpResponse<String> loggedOut = browser.submit(page, "form.console-user", Map.of());
		assertThat(loggedOut.statusCode()).isEqualTo(302);
		URI endSession = URI.create(base()).resolve(Browserless.location(loggedOut));
		assertThat(endSession.getPath()).isEqualTo("/realms/staff/connect/logout");
		assertThat(endSession.getQuery()).contains("id_token_hint=");
		ConsoleBrowser.follow(browser, base(), browser.get(endSession), new ArrayList<>());

		List<String> after = new ArrayList<>();
		HttpResponse<String> again = ConsoleBrowser.follow(browser, base(), browser.get(uri("/admin")), after);
		assertThat(again.uri().getPath()).as("the realm login ended too").isEqualTo("/realms/staff/login");
	}

}
