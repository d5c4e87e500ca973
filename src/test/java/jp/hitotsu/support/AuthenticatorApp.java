package jp.hitotsu.support;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import org.bouncycastle.util.encoders.Base32;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import static org.assertj.core.api.Assertions.assertThat;

/** An authenticator app on a phone: reads the key off the enrolment page and makes codes (RFC 6238). */
public final class AuthenticatorApp {

	private AuthenticatorApp() {
	}

	/**
	 * Goes through the authenticator app enrolment page (a wrong code first, then the
	 * right one) as a phone app would, and answers the seed and the recovery codes shown.
	 */
	public static Enrolment enrol(Browserless browser, URI enrolmentPage) {
		HttpResponse<String> page = browser.get(enrolmentPage);
		assertThat(page.statusCode()).isEqualTo(200);
		Document document = Jsoup.parse(page.body());
		assertThat(document.select("img.qr-code").attr("src")).startsWith("data:image/svg+xml;base64,");
		String secret = document.select("#totp-secret").text().replace(" ", "").toUpperCase();
		byte[] seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
		HttpResponse<String> wrong = browser.submit(page, "form", Map.of("code", "000000"));
		assertThat(wrong.statusCode()).isEqualTo(400);
		HttpResponse<String> codesPage = browser.submit(page, "form", Map.of("code", code(seed, Instant.now())));
		assertThat(codesPage.statusCode()).isEqualTo(200);
		List<String> codes = Jsoup.parse(codesPage.body()).select("#recovery-codes code").eachText();
		return new Enrolment(seed, codes, codesPage);
	}

	/** The code the app shows at that time. */
	public static String code(byte[] seed, Instant time) {
		try {
			return new TimeBasedOneTimePasswordGenerator().generateOneTimePasswordString(
					new SecretKeySpec(seed, "HmacSHA1"), time);
		}
		catch (java.security.InvalidKeyException ex) {
			throw new AssertionError(ex);
		}
	}

	/** What an enrolment leaves: the seed, the recovery codes and the page that showed them. */
	public record Enrolment(byte[] seed, List<String> recoveryCodes, HttpResponse<String> recoveryCodesPage) {
	}

}
