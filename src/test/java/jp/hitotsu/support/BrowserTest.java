package jp.hitotsu.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that drive Chromium against the running server: one browser per test
 * class, a fresh context (cookies, language) per test. The server and its configuration
 * are {@link ServerTest}'s, shared with every other test class.
 */
public abstract class BrowserTest extends ServerTest {

	private static Chromium chromium;

	private BrowserContext context;

	@BeforeAll
	static void launchBrowser() {
		chromium = Chromium.launchOrSkip();
	}

	@AfterAll
	static void closeBrowser() {
		if (chromium != null) {
			chromium.close();
			chromium = null;
		}
	}

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	/** A page in a new browser context speaking that locale ({@code ja-JP}, {@code en-US}). */
	protected Page open(String locale) {
		this.context = chromium.browser().newContext(new Browser.NewContextOptions().setLocale(locale));
		this.context.setDefaultTimeout(Chromium.TIMEOUT_MILLIS);
		return this.context.newPage();
	}

}
