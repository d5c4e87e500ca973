package jp.hitotsu.oidc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device authorization grant (RFC 8628) end to end: a kiosk of realm {@code grants}
 * shows a code, a person enters it at the realm's device page, sees the consent page, and
 * the kiosk's polling gets the person's tokens.
 */
class DeviceGrantTests extends ServerTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ExpiredGrantPurge purge;

	@Autowired
	AuditTrail audit;

	/** The realm's newest device page answers with this error (or approvals, for null). */
	private long deviceEvents(String error) {
		return this.audit.newest("grants", AuditEventType.DEVICE_VERIFIED, null, 200)
			.stream()
			.filter((recorded) -> (error == null) ? Boolean.TRUE.equals(recorded.event().details().get("approved"))
					: error.equals(recorded.event().details().get("error")))
			.count();
	}

	private OidcClient kiosk() {
		return client("grants", "kiosk", null);
	}

	private DeviceAuthorizationSuccessResponse startOnKiosk() {
		DeviceAuthorizationResponse response = kiosk().deviceAuthorization(new Scope("profile", "reports.read"));
		assertThat(response.indicatesSuccess())
			.as(() -> "device authorization: " + response.toErrorResponse().getErrorObject().toJSONObject())
			.isTrue();
		return response.toSuccessResponse();
	}

	private TokenResponse poll(DeviceAuthorizationSuccessResponse device) {
		return kiosk().token(new DeviceCodeGrant(device.getDeviceCode()));
	}

	/** Opens the device page, which asks for the login first, and returns it. */
	private static HttpResponse<String> devicePage(Browserless browser, URI page, String username, String password) {
		HttpResponse<String> toLogin = browser.get(page);
		assertThat(toLogin.statusCode()).as("the device page needs a login").isEqualTo(302);
		assertThat(Browserless.location(toLogin).getPath()).isEqualTo("/realms/grants/login");
		HttpResponse<String> afterLogin = browser.submitLogin(Browserless.location(toLogin), username, password);
		assertThat(afterLogin.statusCode()).isEqualTo(302);
		HttpResponse<String> devicePage = browser.get(Browserless.location(afterLogin));
		assertThat(devicePage.statusCode()).isEqualTo(200);
		return devicePage;
	}

	/** Enters a code at the device page; returns where the browser is sent. */
	private static URI enter(Browserless browser, HttpResponse<String> page, String code) {
		HttpResponse<String> answer = browser.submit(page, "form.device-form", Map.of("user_code", code));
		assertThat(answer.statusCode()).isEqualTo(302);
		return Browserless.location(answer);
	}

	private Document consentPage(Browserless browser, URI consent) {
		assertThat(consent.getPath()).isEqualTo("/consent");
		HttpResponse<String> page = browser.get(consent);
		assertThat(page.statusCode()).isEqualTo(200);
		return Jsoup.parse(page.body(), consent.toString());
	}

	@Test
	void deviceGrantWhenPersonEntersCodeAndAllowsThenKioskGetsThePersonsTokens() throws Exception {
		DeviceAuthorizationSuccessResponse device = startOnKiosk();
		assertThat(device.getVerificationURI()).isEqualTo(uri("/realms/grants/connect-device"));
		assertThat(device.getUserCode().getValue()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
		assertThat(poll(device).toErrorResponse().getErrorObject().getCode()).isEqualTo("authorization_pending");

		Browserless browser = browser().language("en");
		HttpResponse<String> page = devicePage(browser, device.getVerificationURI(), "tanaka", "tanaka-test-pass");
		// typed as a person reads it off a screen
		String typed = device.getUserCode().getValue().toLowerCase().replace("-", " ");
		Document consent = consentPage(browser, enter(browser, page, typed));
		assertThat(consent.select("h1").text()).contains("区民ホール端末");
		assertThat(consent.getElementById("device-code").text()).contains(device.getUserCode().getValue());

		long approvals = deviceEvents(null);
		URI done = browser.submitAll(consent.selectFirst("form.consent-form"));
		assertThat(deviceEvents(null)).as("the approval is audited").isEqualTo(approvals + 1);
		assertThat(done.getPath()).isEqualTo("/realms/grants/connect-device");
		assertThat(Jsoup.parse(browser.get(done).body()).getElementById("device-approved").text())
			.contains("The device is connected");

		TokenResponse tokens = poll(device);
		assertThat(tokens.indicatesSuccess()).as(() -> tokens.toHTTPResponse().getBody()).isTrue();
		JWTClaimsSet claims = kiosk()
			.verifyAccessToken(tokens.toSuccessResponse().getTokens().getAccessToken().getValue());
		assertThat(claims.getStringClaim("client_id")).isEqualTo("kiosk");
		assertThat(claims.getStringClaim("preferred_username")).isIn("tanaka", null);
		assertThat(claims.getSubject()).isNotBlank().isNotEqualTo("kiosk");
		// the device code is spent
		assertThat(poll(device).indicatesSuccess()).isFalse();
	}

	@Test
	void devicePageWhenAskedHeadFirstOrShownThenLoginFirstAndThePagesPolicy() throws Exception {
		// HEAD passes the authorization server's chain unauthenticated: it goes to the login too
		HttpResponse<Void> head = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri("/realms/grants/connect-device"))
				.method("HEAD", HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.discarding());
		assertThat(head.statusCode()).isEqualTo(302);
		assertThat(head.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(URI.create(location).getPath()).isEqualTo("/realms/grants/login"));
		HttpResponse<String> page = devicePage(browser(), uri("/realms/grants/connect-device"), "tanaka",
				"tanaka-test-pass");
		assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
				(policy) -> assertThat(policy).contains("script-src 'self'", "frame-ancestors 'none'"));
	}

	@Test
	void deviceGrantWhenPersonDeniesThenKioskGetsAccessDenied() {
		DeviceAuthorizationSuccessResponse device = startOnKiosk();
		Browserless browser = browser().language("ja");
		// the link with the code (a QR code on the kiosk): login, then straight to consent
		HttpResponse<String> toLogin = browser.get(device.getVerificationURIComplete());
		HttpResponse<String> afterLogin = browser.submitLogin(Browserless.location(toLogin), "tanaka",
				"tanaka-test-pass");
		Document consent = consentPage(browser, browser.authorizeLoggedIn(Browserless.location(afterLogin)));
		URI refused = browser.submitAll(consent.getElementById("deny-form"));
		assertThat(Jsoup.parse(browser.get(refused).body()).getElementById("device-error").text())
			.contains("拒否しました");
		assertThat(poll(device).toErrorResponse().getErrorObject().getCode()).isEqualTo("access_denied");
	}

	@Test
	void devicePageWhenWrongCodesThenExplainedAndLimitedEvenForTheRightCode() {
		DeviceAuthorizationSuccessResponse device = startOnKiosk();
		Browserless browser = browser().language("en");
		HttpResponse<String> page = devicePage(browser, uri("/realms/grants/connect-device"), "device-guesser",
				"device-guesser-test-pass");
		long refusals = deviceEvents("invalid_grant");
		// hitotsu.device.user-code-attempts is 3 in the tests
		for (int i = 0; i < 3; i++) {
			URI wrong = enter(browser, page, "BBBB-BBBB");
			assertThat(wrong.getQuery()).isEqualTo("error=invalid_grant");
			assertThat(Jsoup.parse(browser.get(wrong).body()).getElementById("device-error").text())
				.contains("wrong or has expired");
		}
		URI limited = enter(browser, page, device.getUserCode().getValue());
		assertThat(limited.getQuery()).isEqualTo("error=too_many_attempts");
		assertThat(Jsoup.parse(browser.get(limited).body()).getElementById("device-error").text())
			.contains("Too many wrong codes");
		assertThat(deviceEvents("invalid_grant")).as("wrong codes are audited").isGreaterThanOrEqualTo(refusals + 3);
		assertThat(deviceEvents("too_many_attempts")).isPositive();
		assertThat(poll(device).toErrorResponse().getErrorObject().getCode()).isEqualTo("authorization_pending");
	}

	@Test
	void deviceCodesWhenExpiredThenPurgedAndRefused() {
		DeviceAuthorizationSuccessResponse device = startOnKiosk();
		byte[] userCodeHash = PostgresAuthorizationService.hash(device.getUserCode().getValue());
		String grant = this.jdbc.sql("select authorization_id from oauth_token where token_hash = :hash and token_type = 'user_code'")
			.param("hash", userCodeHash)
			.query(String.class)
			.single();
		assertThat(this.jdbc.sql("select count(*) from oauth_token where authorization_id = :id and token_type = 'device_code'")
			.param("id", grant)
			.query(Integer.class)
			.single()).as("device code stored by its hash").isEqualTo(1);
		// the codes' lifetime is over
		this.jdbc.sql("update oauth_authorization set expires_at = :past where id = :id")
			.param("past", Timestamp.from(Instant.now().minusSeconds(60)))
			.param("id", grant)
			.update();

		assertThat(this.purge.purge()).isGreaterThanOrEqualTo(1);

		assertThat(this.jdbc.sql("select count(*) from oauth_token where authorization_id = :id")
			.param("id", grant)
			.query(Integer.class)
			.single()).isZero();
		Browserless browser = browser().language("en");
		HttpResponse<String> page = devicePage(browser, uri("/realms/grants/connect-device"), "tanaka", "tanaka-test-pass");
		assertThat(enter(browser, page, device.getUserCode().getValue()).getQuery()).isEqualTo("error=invalid_grant");
		assertThat(poll(device).toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
	}

	@Test
	void deviceAuthorizationWhenClientHasNoDeviceGrantThenUnauthorizedClient() {
		OidcClient portal = client("grants", "portal", "portal-secret-0123456789");
		ErrorObject error = portal.deviceAuthorization(new Scope("openid")).toErrorResponse().getErrorObject();
		assertThat(error.getCode()).isEqualTo("unauthorized_client");
		assertThat(error.getDescription()).contains("realm 'grants'", "client 'portal'", "'client_id'");
	}

}
