package jp.hitotsu.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium, driven by Playwright: one browser per test JVM, shared by
 * the browser test classes, closed when the JVM ends. Without {@code /usr/bin/chromium}
 * browser tests are skipped, except under CI, where they fail.
 */
public final class Chromium {

	private static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

	public static final double TIMEOUT_MILLIS = 30_000;

	private static Playwright playwright;

	private static Browser browser;

	private static String axeSource;

	private Chromium() {
	}

	/** A fresh context (cookies, language) of the shared browser; close it after the test. */
	public static synchronized BrowserContext newContext(String locale) {
		if (browser == null) {
			launch();
		}
		BrowserContext context = browser.newContext(new Browser.NewContextOptions().setLocale(locale));
		context.setDefaultTimeout(TIMEOUT_MILLIS);
		return context;
	}

	private static void launch() {
		if (!Files.isExecutable(EXECUTABLE)) {
			String ci = System.getenv("CI");
			if (ci != null && !ci.isBlank()) {
				fail(EXECUTABLE + " is missing: CI must install Debian's chromium package (see .ci/run)");
			}
			assumeTrue(false, EXECUTABLE + " is missing: browser tests skipped (apt-get install -y chromium)");
		}
		// the environment of Playwright's driver: never download a browser, use Debian's
		playwright = Playwright.create(new Playwright.CreateOptions()
			.setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
		browser = playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE)
				.setHeadless(true)
				.setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
						"--disable-component-update", "--disable-sync", "--no-first-run")));
		PlaywrightAssertions.setDefaultAssertionTimeout(TIMEOUT_MILLIS);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			browser.close();
			playwright.close();
		}));
	}

	/**
	 * A new page of the context with a virtual authenticator (Chrome DevTools Protocol
	 * {@code WebAuthn.addVirtualAuthenticator}): a platform authenticator that keeps
	 * discoverable credentials, verifies the person and consents on its own.
	 */
	public static Page pageWithAuthenticator(BrowserContext context) {
		Page page = context.newPage();
		CDPSession devTools = context.newCDPSession(page);
		devTools.send("WebAuthn.enable");
		JsonObject options = new JsonObject();
		options.addProperty("protocol", "ctap2");
		options.addProperty("transport", "internal");
		options.addProperty("hasResidentKey", true);
		options.addProperty("hasUserVerification", true);
		options.addProperty("isUserVerified", true);
		options.addProperty("automaticPresenceSimulation", true);
		JsonObject parameters = new JsonObject();
		parameters.add("options", options);
		devTools.send("WebAuthn.addVirtualAuthenticator", parameters);
		return page;
	}

	/**
	 * Runs axe-core (all rules but the experimental ones) in the page and describes each
	 * violation. The pages' Content-Security-Policy ({@code script-src 'self'}) would block
	 * an inline script tag; Playwright's evaluate runs through the DevTools protocol and is
	 * not blocked, so the CSP stays on.
	 */
	@SuppressWarnings("unchecked")
	public static List<String> axe(Page page, String name) {
		if (!Boolean.TRUE.equals(page.evaluate("() => typeof window.axe === 'object'"))) {
			page.evaluate(axeSource());
		}
		List<Map<String, Object>> violations = (List<Map<String, Object>>) page.evaluate("""
				async () => {
				  const results = await axe.run(document, { resultTypes: ['violations'] });
				  return results.violations.map((v) => ({
				    id: v.id, impact: v.impact, help: v.help,
				    nodes: v.nodes.map((n) => n.target.join(' > '))
				  }));
				}""");
		String where = name + " " + page.url();
		return violations.stream()
			.map((v) -> where + ": " + v.get("id") + " [" + v.get("impact") + "] " + v.get("help") + " at "
					+ v.get("nodes"))
			.toList();
	}

	private static synchronized String axeSource() {
		if (axeSource == null) {
			try (InputStream in = Chromium.class.getResourceAsStream("/axe.min.js")) {
				assertThat(in).as("axe.min.js on the test class path (com.deque.html.axe-core:playwright)").isNotNull();
				axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new AssertionError(ex);
			}
		}
		return axeSource;
	}

}
