package jp.hitotsu.console;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ConsoleBrowser;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signing key pages: the rotation asks first, then publishes new keys, which the
 * realm's JWKS serves at once, and says when they start signing.
 */
class KeyPagesTests extends ServerTest {

	private static final String KEYS = "/admin/realms/console-clients/keys";

	@Test
	void rotationThroughTheConsolePublishesNewKeysInTheJwks() throws Exception {
		Browserless browser = browser().language("en");
		HttpResponse<String> list = ConsoleBrowser.login(browser, base(), KEYS, "console-keys", "console-keys-test-pass");
		List<String> before = Jsoup.parse(list.body()).select("#key-list tbody tr").eachAttr("data-kid");
		assertThat(before).isNotEmpty();

		HttpResponse<String> confirmation = browser.get(uri(KEYS + "/rotation"));
		assertThat(confirmation.statusCode()).isEqualTo(200);
		assertThat(jwks()).as("nothing changes before the confirmation").doesNotContainAnyElementsOf(List.of("none"))
			.containsAll(before);
		HttpResponse<String> rotated = browser.submit(confirmation, "main form", Map.of());
		assertThat(rotated.statusCode()).isEqualTo(302);
		assertThat(Browserless.location(rotated).getPath()).isEqualTo(KEYS);

		Document after = Jsoup.parse(browser.get(Browserless.location(rotated)).body());
		List<String> kids = after.select("#key-list tbody tr").eachAttr("data-kid");
		List<String> added = kids.stream().filter((kid) -> !before.contains(kid)).toList();
		assertThat(added).isNotEmpty();
		assertThat(after.select("#console-notice").text()).contains(added).contains("Asia/Tokyo");
		assertThat(after.select("#key-list tr[data-kid=" + added.get(0) + "]").text())
			.contains("Published, not yet signing");
		assertThat(jwks()).containsAll(added).containsAll(before);
	}

	private List<String> jwks() throws Exception {
		return JWKSet.load(uri("/realms/console-clients/oauth2/jwks").toURL()).getKeys().stream().map(JWK::getKeyID).toList();
	}

}
