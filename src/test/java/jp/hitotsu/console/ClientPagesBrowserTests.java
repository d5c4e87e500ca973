package jp.hitotsu.console;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.KeyboardFocus;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client pages in Chromium, in Japanese and English, axe-core on every page: an
 * administrator registers a client with the form (a bad redirect URI first), and the secret
 * shown once logs a person in with a real authorization code + PKCE login; a new secret
 * replaces it at once; the client is changed and deleted after confirmation. And the
 * registration walked with the keyboard alone.
 */
class ClientPagesBrowserTests extends ServerTest {

	private static final String REALM = "console-clients";

	private static final String CLIENTS = "/admin/realms/" + REALM + "/clients";

	@Autowired
	private MessageSource messages;

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, ja", "en-US, en" })
	void registeredClientLogsAPersonInAndItsSecretRotates(String languageTag, String lang) throws Exception {
		Locale locale = Locale.forLanguageTag(languageTag);
		this.context = Chromium.newContext(languageTag);
		Page page = this.context.newPage();
		List<String> report = new ArrayList<>();
		String clientId = "ledger-" + lang;
		URI callback = URI.create("https://" + clientId + ".example.test/callback");

		ConsoleBrowser.login(page, base(), CLIENTS, "console-clients-" + lang, "console-clients-" + lang + "-test-pass");
		assertThat(page.locator("html")).hasAttribute("lang", lang);
		assertThat(page.locator("#client-list tr[data-client-id=file-app]")).isVisible();
		report.addAll(Chromium.axe(page, "clients"));

		page.locator("#client-new").click();
		assertThat(page).hasURL(Pattern.compile(".*" + CLIENTS + "/new$"));
		assertThat(page.locator("#redirectUris-help")).hasText(text("console.clients.field.redirectUris.help", locale));
		report.addAll(Chromium.axe(page, "new client"));

		page.getByLabel(text("console.clients.field.clientId", locale), new Page.GetByLabelOptions().setExact(true))
			.fill(clientId);
		page.getByLabel(text("console.clients.field.name", locale), new Page.GetByLabelOptions().setExact(true))
			.fill("台帳 " + lang);
		page.getByLabel(text("console.clients.field.redirectUris", locale), new Page.GetByLabelOptions().setExact(true))
			.fill("ledger.example.test/callback");
		page.locator("#client-submit").click();
		assertThat(page.locator("#client-errors")).isFocused();
		assertThat(page.locator("#redirectUris-error")).containsText("ledger.example.test/callback");
		assertThat(page.locator("#redirectUris")).hasAttribute("aria-invalid", "true");
		assertThat(page.locator("#clientId")).hasValue(clientId);
		report.addAll(Chromium.axe(page, "new client with an error"));

		page.locator("#redirectUris").fill(callback.toString());
		page.locator("#client-submit").click();
		assertThat(page).hasURL(Pattern.compile(".*" + CLIENTS + "/" + clientId + "$"));
		assertThat(page.locator("#console-notice")).containsText(clientId);
		assertThat(page.locator("#client-discovery"))
			.hasText(base() + "/realms/" + REALM + "/.well-known/openid-configuration");
		String secret = page.locator("#client-secret-value").textContent();
		report.addAll(Chromium.axe(page, "secret shown once"));

		logsIn(clientId, secret, callback);

		page.locator("#client-rotate").click();
		assertThat(page.locator("#confirm-consequence")).isVisible();
		report.addAll(Chromium.axe(page, "new secret confirmation"));
		page.locator("#confirm-submit").click();
		assertThat(page.locator("#client-secret-value")).not().hasText(secret);
		String newSecret = page.locator("#client-secret-value").textContent();
		report.addAll(Chromium.axe(page, "new secret shown once"));
		assertThat(clientCredentialsError(clientId, secret)).isEqualTo("invalid_client");
		logsIn(clientId, newSecret, callback);

		page.locator("#client-edit").click();
		assertThat(page.locator("#redirectUris")).hasValue(callback.toString());
		report.addAll(Chromium.axe(page, "change client"));
		page.locator("#name").fill("変更後 " + lang);
		page.locator("#client-submit").click();
		assertThat(page.locator("#client-name")).hasText("変更後 " + lang);
		assertThat(page.locator("#client-secret")).hasCount(0);
		report.addAll(Chromium.axe(page, "client changed"));

		page.locator("#client-delete").click();
		report.addAll(Chromium.axe(page, "delete confirmation"));
		page.locator("#confirm-submit").click();
		assertThat(page).hasURL(Pattern.compile(".*" + CLIENTS + "$"));
		assertThat(page.locator("#console-notice")).containsText(clientId);
		assertThat(page.locator("tr[data-client-id=" + clientId + "]")).hasCount(0);
		report.addAll(Chromium.axe(page, "client deleted"));
		assertThat(clientCredentialsError(clientId, newSecret)).isEqualTo("invalid_client");

		page.navigate(base() + "/admin/realms/" + REALM + "/keys");
		assertThat(page.locator("#key-list tbody tr").first()).isVisible();
		report.addAll(Chromium.axe(page, "keys"));
		page.locator("#key-rotate").click();
		report.addAll(Chromium.axe(page, "key rotation confirmation"));

		assertThat(report).as(() -> String.join("\n", report)).isEmpty();
	}

	@Test
	void clientIsRegisteredWithTheKeyboardAlone() {
		Locale locale = Locale.forLanguageTag("ja-JP");
		this.context = Chromium.newContext("ja-JP");
		Page page = this.context.newPage();
		ConsoleBrowser.login(page, base(), CLIENTS, "console-clients-keyboard", "console-clients-keyboard-test-pass");
		page.locator("body").focus();

		tabTo(page, "client-new");
		page.keyboard().press("Enter");
		assertThat(page).hasURL(Pattern.compile(".*" + CLIENTS + "/new$"));
		page.waitForLoadState();
		tabTo(page, "clientId");
		page.keyboard().type("keyboard-app");
		tabTo(page, "name");
		page.keyboard().type("キーボード登録");
		// the type is a radio group: one stop, arrows choose; confidential stays chosen
		tabTo(page, "type-confidential");
		tabTo(page, "redirectUris");
		page.keyboard().type("https://keyboard-app.example.test/callback");
		tabTo(page, "client-submit");
		page.keyboard().press("Enter");

		assertThat(page).hasURL(Pattern.compile(".*" + CLIENTS + "/keyboard-app$"));
		assertThat(page.locator("#console-notice")).isFocused();
		assertThat(page.locator("#console-notice")).hasText(text("console.clients.registered", locale, "keyboard-app"));
		tabTo(page, "client-secret-value");
		assertThat(page.locator("#client-secret-value").textContent()).hasSizeGreaterThan(30);
	}

	/** A real login of a person with the client: code + PKCE, ID token verified with the realm's JWKS. */
	private void logsIn(String clientId, String secret, URI callback) throws Exception {
		OidcClient client = client(REALM, clientId, secret);
		OidcClient.Authorization authorization = client.authorization(callback, "openid profile");
		OIDCTokenResponse tokens = client.exchange(
				browser().authorize(authorization.uri(), "client-user", "client-user-test-pass"), authorization);
		JWTClaimsSet id = client.verifyIdToken(tokens.getOIDCTokens().getIDToken(), authorization.nonce());
		assertThat(id.getAudience()).containsExactly(clientId);
		assertThat(id.getIssuer()).isEqualTo(base() + "/realms/" + REALM);
		assertThat(id.getStringClaim("preferred_username")).isEqualTo("client-user");
	}

	private String clientCredentialsError(String clientId, String secret) {
		TokenResponse response = client(REALM, clientId, secret).token(new ClientCredentialsGrant());
		assertThat(response.indicatesSuccess()).isFalse();
		return response.toErrorResponse().getErrorObject().getCode();
	}

	/** Tab until the element is focused, every stop on the way and the element itself showing its focus. */
	private static void tabTo(Page page, String id) {
		KeyboardFocus.assertFocus(KeyboardFocus.tabUntil(page, "Tab", (element) -> id.equals(element.get("id"))), id);
	}

	private String text(String key, Locale locale, Object... arguments) {
		return this.messages.getMessage(key, arguments, locale);
	}

}
