package jp.hitotsu.login;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PageAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.nimbusds.jose.util.JSONObjectUtils;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login pages as people use them: Debian's headless Chromium driven by Playwright,
 * through the demo client's full authorization code + PKCE login, in Japanese and in
 * English, with axe-core checking every page for accessibility violations.
 *
 * <p>
 * One browser for the test JVM (support/Chromium), a fresh context (cookies, language) for
 * each test.
 */
class BrowserLoginTests extends ServerTest {

	private BrowserContext context;

	/** What each language shows; the realm is {@code staff}. */
	enum Language {

		JAPANESE("ja-JP", "ja", "デモクライアントでログインを試す", "職員", "職員へのログイン", "ユーザー名", "パスワード", "ログイン",
				"ユーザー名またはパスワードが正しくありません。", "アプリケーションが受け取る内容", "見つかりません", "English"),

		ENGLISH("en-US", "en", "Try a login with the demo client", "Staff", "Log in to Staff", "Username", "Password",
				"Log in", "The username or password is incorrect.", "What your application receives", "Not found",
				"日本語");

		final String locale;

		final String lang;

		final String tryDemo;

		final String realm;

		final String loginTitle;

		final String username;

		final String password;

		final String submit;

		final String invalidCredentials;

		final String resultTitle;

		final String notFoundTitle;

		/** The language switch link that leads to the other language. */
		final String otherLanguageLink;

		Language(String locale, String lang, String tryDemo, String realm, String loginTitle, String username,
				String password, String submit, String invalidCredentials, String resultTitle, String notFoundTitle,
				String otherLanguageLink) {
			this.locale = locale;
			this.lang = lang;
			this.tryDemo = tryDemo;
			this.realm = realm;
			this.loginTitle = loginTitle;
			this.username = username;
			this.password = password;
			this.submit = submit;
			this.invalidCredentials = invalidCredentials;
			this.resultTitle = resultTitle;
			this.notFoundTitle = notFoundTitle;
			this.otherLanguageLink = otherLanguageLink;
		}

		Language other() {
			return (this == JAPANESE) ? ENGLISH : JAPANESE;
		}

	}



	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@ParameterizedTest
	@EnumSource(Language.class)
	void demoLoginWhenValidCredentialsThenResultPageShowsTokens(Language language) {
		Page page = open(language);
		page.navigate(base() + "/");
		expect(page.locator("html")).hasAttribute("lang", language.lang);
		startDemoLogin(page, language);

		expectLoginPage(page, language);
		login(page, language, "tanaka", "tanaka-test-pass");

		expectResultPage(page, language);
	}

	@ParameterizedTest
	@EnumSource(Language.class)
	void loginWhenWrongPasswordThenLocalizedErrorAndFieldsMarkedInvalid(Language language) {
		Page page = open(language);
		page.navigate(base() + "/");
		startDemoLogin(page, language);
		expectLoginPage(page, language);

		Response refused = page.waitForResponse((response) -> response.request().method().equals("POST"),
				() -> login(page, language, "tanaka", "not-the-password"));
		assertThat(refused.status()).isEqualTo(401);

		expectLoginPage(page, language);
		Locator alert = page.getByRole(AriaRole.ALERT);
		expect(alert).hasText(language.invalidCredentials);
		expect(alert).hasId("login-error");
		for (String field : List.of("#username", "#password")) {
			expect(page.locator(field)).hasAttribute("aria-invalid", "true");
			expect(page.locator(field)).hasAttribute("aria-describedby", "login-error");
		}
		expect(page.locator("#username")).hasValue("tanaka");
		expect(page.locator("#password")).hasValue("");

		// the authorization request waits through a failed attempt
		login(page, language, "tanaka", "tanaka-test-pass");
		expectResultPage(page, language);
	}

	@ParameterizedTest
	@EnumSource(Language.class)
	void languageSwitchOnLoginPageChangesLanguageForTheRestOfTheLogin(Language language) {
		Page page = open(language);
		page.navigate(base() + "/");
		startDemoLogin(page, language);
		expectLoginPage(page, language);

		Language other = language.other();
		Locator switchLink = page.getByRole(AriaRole.NAVIGATION)
			.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(language.otherLanguageLink).setExact(true));
		expect(switchLink).hasAttribute("hreflang", other.lang);
		switchLink.click();
		expectLoginPage(page, other);
		assertThat(page.url()).contains("lang=" + other.lang);

		// remembered: the rest of the flow speaks the chosen language
		login(page, other, "tanaka", "tanaka-test-pass");
		expectResultPage(page, other);
	}

	@Test
	void languageSwitchBackAndForth() {
		Page page = open(Language.JAPANESE);
		page.navigate(base() + "/realms/staff/login");
		expectLoginPage(page, Language.JAPANESE);
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English").setExact(true)).click();
		expectLoginPage(page, Language.ENGLISH);
		expect(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English").setExact(true)))
			.hasAttribute("aria-current", "true");
		page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("日本語").setExact(true)).click();
		expectLoginPage(page, Language.JAPANESE);
		// the cookie outweighs the browser's Accept-Language from now on
		page.navigate(base() + "/");
		expect(page.locator("html")).hasAttribute("lang", "ja");
	}

	@ParameterizedTest
	@EnumSource(Language.class)
	void pagesHaveNoAccessibilityViolations(Language language) {
		Page page = open(language);
		List<String> report = new ArrayList<>();

		page.navigate(base() + "/");
		report.addAll(Chromium.axe(page, "home"));

		page.navigate(base() + "/realms/staff/login");
		expectLoginPage(page, language);
		report.addAll(Chromium.axe(page, "login page"));

		page.locator("form.login-form button[type=submit]").click();
		expect(page.locator("#username")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "login page, fields missing"));

		login(page, language, "tanaka", "not-the-password");
		expect(page.locator("#login-error")).hasText(language.invalidCredentials);
		report.addAll(Chromium.axe(page, "login page, wrong password"));

		page.navigate(base() + "/");
		startDemoLogin(page, language);
		login(page, language, "tanaka", "tanaka-test-pass");
		expectResultPage(page, language);
		report.addAll(Chromium.axe(page, "demo result page"));

		// the callback again: the login is over, the demo client shows its error page
		page.navigate(base() + "/demo/staff/callback?code=used&state=used");
		expect(page.getByRole(AriaRole.ALERT)).isVisible();
		report.addAll(Chromium.axe(page, "demo error page"));

		Response notFound = page.navigate(base() + "/realms/nope/login");
		assertThat(notFound.status()).isEqualTo(404);
		expect(page.locator("h1")).hasText(language.notFoundTitle);
		report.addAll(Chromium.axe(page, "404 page"));

		assertThat(report).as(() -> "axe-core violations (" + language + "):\n" + String.join("\n", report))
			.isEmpty();
	}

	@Test
	void axeReportsAViolationPlantedInThePage() {
		Page page = open(Language.JAPANESE);
		page.navigate(base() + "/");
		assertThat(Chromium.axe(page, "home")).isEmpty();
		page.evaluate("""
				() => {
				  const image = document.createElement('img');
				  image.src = '/css/missing.png';
				  image.id = 'planted';
				  document.querySelector('main').append(image);
				}""");
		assertThat(Chromium.axe(page, "home with a planted image")).singleElement()
			.asString()
			.contains("image-alt [critical]", "#planted");
	}

	@Test
	void languageSwitchOnErrorPageKeepsTheErrorPage() {
		Page page = open(Language.JAPANESE);
		page.navigate(base() + "/realms/nope/login");
		expect(page.locator("h1")).hasText(Language.JAPANESE.notFoundTitle);
		Response english = page.waitForResponse((response) -> response.url().contains("lang=en"),
				() -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English").setExact(true))
					.click());
		assertThat(english.status()).isEqualTo(404);
		expect(page.locator("h1")).hasText(Language.ENGLISH.notFoundTitle);
	}

	private Page open(Language language) {
		this.context = Chromium.newContext(language.locale);
		return this.context.newPage();
	}

	private static void startDemoLogin(Page page, Language language) {
		page.locator("section[aria-labelledby='realm-staff']")
			.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(language.tryDemo).setExact(true))
			.click();
	}

	private static void expectLoginPage(Page page, Language language) {
		expect(page).hasURL(Pattern.compile(".*/realms/staff/login(\\?.*)?$"));
		expect(page).hasTitle(language.loginTitle);
		expect(page.locator("html")).hasAttribute("lang", language.lang);
		expect(page.locator("h1")).hasText(language.loginTitle);
		expect(page.locator(".site-header .realm-name")).hasText(language.realm);
		expect(page.getByLabel(language.username, new Page.GetByLabelOptions().setExact(true)))
			.hasAttribute("id", "username");
		expect(page.getByLabel(language.password, new Page.GetByLabelOptions().setExact(true)))
			.hasAttribute("id", "password");
		expect(page.locator("form.login-form button[type=submit]")).hasText(language.submit);
	}

	private static void login(Page page, Language language, String username, String password) {
		page.getByLabel(language.username, new Page.GetByLabelOptions().setExact(true)).fill(username);
		page.getByLabel(language.password, new Page.GetByLabelOptions().setExact(true)).fill(password);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(language.submit).setExact(true)).click();
	}

	private void expectResultPage(Page page, Language language) {
		expect(page).hasURL(Pattern.compile(".*/demo/staff/callback\\?.*"));
		expect(page.locator("html")).hasAttribute("lang", language.lang);
		expect(page.locator("h1")).hasText(language.resultTitle);
		String issuer = base() + "/realms/staff";
		expect(page.locator("main")).containsText(issuer);

		Map<String, Object> idToken = json(page, "#id-token-claims");
		assertThat(idToken).containsEntry("preferred_username", "tanaka").containsEntry("iss", issuer);
		assertThat(String.valueOf(idToken.get("aud"))).contains("hitotsu-demo");
		Map<String, Object> accessToken = json(page, "#access-token-claims");
		assertThat(accessToken).containsEntry("iss", issuer).containsEntry("sub", idToken.get("sub"));
		Map<String, Object> userInfo = json(page, "#userinfo");
		assertThat(userInfo).containsEntry("sub", idToken.get("sub"));
	}

	private static Map<String, Object> json(Page page, String selector) {
		String text = page.locator(selector).textContent();
		try {
			return JSONObjectUtils.parse(text);
		}
		catch (java.text.ParseException ex) {
			throw new AssertionError("Not a JSON object in " + selector + ": " + text, ex);
		}
	}



	private static LocatorAssertions expect(Locator locator) {
		return PlaywrightAssertions.assertThat(locator);
	}

	private static PageAssertions expect(Page page) {
		return PlaywrightAssertions.assertThat(page);
	}

}
