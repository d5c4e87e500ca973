package jp.hitotsu.provisioning;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PageAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Bundles;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.DirectoryAdmin;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person whose account came in a directory bundle, on a terminal of the separated zone
 * (headless Chromium with a virtual authenticator, on {@code localhost}: WebAuthn needs a
 * host name): activation code and a new password, a passkey registered at once, then a
 * login with both factors and tokens for a client. A later full bundle without the person
 * disables the account and its tokens stop working. axe checks the pages in en and ja.
 */
class ActivationBrowserTests extends ServerTest {

	private static final String REALM = "bundle-terminal";

	private static final URI CALLBACK = URI.create("https://terminal.example.test/callback");

	@Autowired
	private BundleProperties properties;

	@Autowired
	private DirectoryBundles bundles;

	@Autowired
	private JdbcClient jdbc;

	private final AdminApi admin = new AdminApi(this);

	private final List<BrowserContext> contexts = new ArrayList<>();

	@AfterEach
	void closeContexts() {
		this.contexts.forEach(BrowserContext::close);
	}

	@Test
	void activationCodeThenPasswordAndPasskeyThenTwoFactorLoginGivesTokens() throws Exception {
		Bundles.pinOwnKey(this.properties, this.bundles);
		String token = this.admin.token("bundle-admin", "bundle-admin-test-pass-01");
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, token);
		directory.unit("BND-TERMINAL", "section", "分離端末課", null);
		directory.assign(Accounts.subjectOf(this.jdbc, "staff", "bundle-terminal-op"), "BND-TERMINAL", "primary", null,
				null, null);
		HttpResponse<String> imported = Bundles.importInto(this.admin, token, REALM,
				Bundles.export(this.admin, token, "{\"role\": \"terminal-operator\"}"));
		assertThat(imported.statusCode()).as(imported::body).isEqualTo(200);
		String code = AdminApi.json(imported).path("created").get(0).path("activationCode").asString();

		Page page = page("en-US");
		List<String> violations = new ArrayList<>();
		page.navigate(localBase() + "/realms/" + REALM + "/activate");
		violations.addAll(Chromium.axe(page, "activation"));
		fillActivation(page, "bundle-terminal-op", "0000-0000-0000-0000-0000", "a-long-new-password-1");
		expect(page.getByRole(AriaRole.ALERT).first()).containsText("activation code is not right");
		violations.addAll(Chromium.axe(page, "activation, wrong code"));
		// the code in lower case and without dashes is the same code
		fillActivation(page, "bundle-terminal-op", code.replace("-", "").toLowerCase(), "a-long-new-password-1");
		expect(page).hasURL(Pattern.compile(".*/realms/" + REALM + "/login/enroll$"));
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Set up a passkey")).click();
		page.locator("#passkey-label").fill("Terminal 7");
		page.locator("#passkey-register").click();
		expect(page).hasURL(Pattern.compile(".*/realms/" + REALM + "/login$"));
		expect(page.locator(".notice").first()).containsText("bundle-terminal-op");
		page.locator("form[action$='/logout'] button").click();

		// the code works once
		fillActivation(page, "bundle-terminal-op", code, "another-long-password-2");
		expect(page.getByRole(AriaRole.ALERT).first()).containsText("activation code is not right");

		// a client's login: password, then the passkey; the code comes back to the client
		OidcClient client = new OidcClient(OIDCProviderMetadata.resolve(new Issuer(localBase() + "/realms/" + REALM)),
				"terminal-app", "terminal-app-secret-0123456789");
		OidcClient.Authorization authorization = client.authorization(CALLBACK, "openid profile organization");
		AtomicReference<String> callback = new AtomicReference<>();
		// the client's page answers, so that no failed load of it lands later on another navigation
		page.route((url) -> url.startsWith(CALLBACK.toString()), (route) -> {
			callback.set(route.request().url());
			route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("text/plain").setBody("terminal-app"));
		});
		page.navigate(authorization.uri().toString());
		page.locator("#username").fill("bundle-terminal-op");
		page.locator("#password").fill("a-long-new-password-1");
		page.locator("form.login-form button[type=submit]").click();
		expect(page).hasURL(Pattern.compile(".*/realms/" + REALM + "/login/second-factor$"));
		page.locator("#passkey-login").click();
		page.waitForURL((url) -> url.startsWith(CALLBACK.toString()));
		OIDCTokenResponse tokens = client.exchange(URI.create(callback.get()), authorization);
		JWTClaimsSet idToken = client.verifyIdToken(tokens.getOIDCTokens().getIDToken(), authorization.nonce());
		assertThat(idToken.getStringClaim("acr")).isEqualTo("urn:hitotsu:aal3");
		assertThat(idToken.getStringListClaim("amr")).contains("pwd", "hwk");
		assertThat(idToken.getStringClaim("preferred_username")).isEqualTo("bundle-terminal-op");
		assertThat(idToken.getStringClaim("family_name")).isEqualTo("小林");
		assertThat(idToken.getStringClaim("org")).isEqualTo("BND-TERMINAL");
		assertThat(idToken.getStringListClaim("roles")).containsExactly("terminal-operator");
		assertThat(client.introspect(tokens.getOIDCTokens().getAccessToken()).toSuccessResponse().isActive()).isTrue();

		// a full bundle that no longer lists the person: the account and its tokens end
		HttpResponse<String> leaving = Bundles.importInto(this.admin, token, REALM,
				Bundles.export(this.admin, token, "{\"role\": \"no-such-role\"}"));
		assertThat(leaving.statusCode()).as(leaving::body).isEqualTo(200);
		assertThat(AdminApi.json(leaving).path("disabled").get(0).asString()).isEqualTo("bundle-terminal-op");
		assertThat(client.introspect(tokens.getOIDCTokens().getAccessToken()).toSuccessResponse().isActive()).isFalse();
		page.navigate(localBase() + "/realms/" + REALM + "/login");
		expect(page.locator("form.login-form")).isVisible();
		expect(page.locator(".notice")).hasCount(0);

		assertThat(violations).as(() -> String.join("\n", violations)).isEmpty();
	}

	@Test
	void activationPageHasNoAccessibilityViolationsInJapanese() {
		Page page = page("ja-JP");
		page.navigate(localBase() + "/realms/" + REALM + "/activate");
		expect(page.locator("html")).hasAttribute("lang", "ja");
		expect(page.locator("h1")).hasText("アカウントの有効化");
		List<String> violations = new ArrayList<>(Chromium.axe(page, "activation (ja)"));
		page.locator("form.activation-form button[type=submit]").click();
		expect(page.getByRole(AriaRole.ALERT).first()).containsText("有効化コードを入力");
		violations.addAll(Chromium.axe(page, "activation, empty (ja)"));
		assertThat(violations).as(() -> String.join("\n", violations)).isEmpty();
	}

	private Page page(String locale) {
		BrowserContext context = Chromium.newContext(locale);
		this.contexts.add(context);
		return Chromium.pageWithAuthenticator(context);
	}

	private void fillActivation(Page page, String username, String code, String password) {
		page.navigate(localBase() + "/realms/" + REALM + "/activate");
		page.locator("#loginName").fill(username);
		page.locator("#code").fill(code);
		page.locator("#newPassword").fill(password);
		page.locator("#confirmation").fill(password);
		page.locator("form.activation-form button[type=submit]").click();
	}

	/** WebAuthn needs a host name: the same server, by {@code localhost}. */
	private String localBase() {
		return "http://localhost:" + this.port;
	}

	private static LocatorAssertions expect(Locator locator) {
		return PlaywrightAssertions.assertThat(locator);
	}

	private static PageAssertions expect(Page page) {
		return PlaywrightAssertions.assertThat(page);
	}

}
