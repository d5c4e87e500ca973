package jp.hitotsu.support;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.microsoft.playwright.Page;
import org.bouncycastle.util.encoders.Base32;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * An administrator at the admin console in Chromium: logs in through the admin realm with
 * the password and an authenticator app, enrolled at the person's first login in this test
 * JVM (the console's client needs two factors) and remembered for the next logins.
 */
public final class ConsoleBrowser {

	private static final Map<String, byte[]> SEEDS = new ConcurrentHashMap<>();

	/** The last time step whose code each person used: the realm takes a code only once. */
	private static final Map<String, Long> LAST_STEPS = new ConcurrentHashMap<>();

	private ConsoleBrowser() {
	}

	/**
	 * Opens {@code base + path} (a console page), logs in there, and waits until the
	 * console shows that page.
	 */
	public static void login(Page page, String base, String path, String username, String password) {
		page.navigate(base + path);
		page.locator("#username").fill(username);
		page.locator("#password").fill(password);
		page.locator("form.login-form button[type=submit]").click();
		page.waitForURL((url) -> url.contains("/login/enroll") || url.contains("/login/second-factor"));
		if (page.url().contains("/login/enroll")) {
			page.locator("a[href$='/totp']").click();
			String secret = page.locator("#totp-secret").textContent().replace(" ", "").toUpperCase();
			SEEDS.put(username, Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8)));
			page.locator("#code").fill(code(username));
			page.locator("main form button[type=submit]").click();
			assertThat(page.locator("#recovery-codes li")).hasCount(10);
			page.locator("main form button[type=submit]").click();
		}
		else {
			page.locator("#code").fill(code(username));
			page.locator("form[action$='/second-factor/totp'] button[type=submit]").click();
		}
		page.waitForURL(base + path);
	}

	/**
	 * Logs in to the console without a browser (a program with a cookie jar): asks for
	 * {@code base + path}, follows the redirects through the realm's login, second factor
	 * (or its enrolment) and back, and answers the console's page.
	 */
	public static HttpResponse<String> login(Browserless browser, String base, String path, String username,
			String password) {
		HttpResponse<String> response = browser.get(URI.create(base + path));
		for (int hop = 0; hop < 20; hop++) {
			if (response.statusCode() == 302) {
				response = browser.get(Browserless.location(response).isAbsolute() ? Browserless.location(response)
						: URI.create(base).resolve(Browserless.location(response)));
				continue;
			}
			String at = response.uri().getPath();
			if (at.endsWith("/login")) {
				response = browser.submit(response, "form.login-form",
						Map.of("username", username, "password", password));
			}
			else if (at.endsWith("/login/enroll")) {
				AuthenticatorApp.Enrolment enrolment = AuthenticatorApp.enrol(browser, response.uri().resolve("enroll/totp"));
				SEEDS.put(username, enrolment.seed());
				LAST_STEPS.put(username, Instant.now().getEpochSecond() / 30);
				response = browser.submit(enrolment.recoveryCodesPage(), "main form", Map.of());
			}
			else if (at.endsWith("/login/second-factor")) {
				response = browser.submit(response, "form[action$='/second-factor/totp']", Map.of("code", code(username)));
			}
			else {
				return response;
			}
		}
		throw new AssertionError("The console login of " + username + " did not end: at " + response.uri());
	}

	/** Follows redirects within the server at {@code base}, as a browser would, noting each path. */
	public static HttpResponse<String> follow(Browserless browser, String base, HttpResponse<String> response,
			List<String> visited) {
		while (response.statusCode() == 302) {
			URI next = URI.create(base).resolve(Browserless.location(response));
			visited.add(next.getPath());
			response = browser.get(next);
		}
		return response;
	}

	/**
	 * The person's authenticator code: the current one, or the next one when the current
	 * one was used already (the realm allows one step of drift). A third login within a
	 * step waits for the next step, as a person would.
	 */
	public static String code(String username) {
		byte[] seed = SEEDS.get(username);
		if (seed == null) {
			throw new IllegalStateException(username + " has no authenticator app enrolled in this test JVM");
		}
		long now = Instant.now().getEpochSecond() / 30;
		long step = LAST_STEPS.merge(username, now, (last, current) -> Math.max(last + 1, current));
		long waitMillis = (step - 1) * 30_000 - System.currentTimeMillis();
		if (waitMillis > 0) {
			try {
				Thread.sleep(waitMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return AuthenticatorApp.code(seed, Instant.ofEpochSecond(step * 30));
	}

}
