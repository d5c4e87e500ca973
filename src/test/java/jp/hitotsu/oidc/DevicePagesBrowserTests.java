package jp.hitotsu.oidc;

import java.util.ArrayList;
import java.util.List;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device page and its consent in Chromium, in Japanese and in English, each state
 * checked by axe-core: the code form, a wrong code, the consent with the code, connected.
 */
class DevicePagesBrowserTests extends ServerTest {

	private BrowserContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, ja, ユーザー名, パスワード, ログイン, 機器に表示されたコード, 次へ, 許可する, 機器を接続しました",
			"en-US, en, Username, Password, Log in, Code shown on the device, Continue, Allow, The device is connected" })
	void devicePagesWhenUsedThenWorkAndHaveNoAccessibilityViolations(String locale, String lang, String usernameLabel,
			String passwordLabel, String logIn, String codeLabel, String next, String allow, String connected) {
		OidcClient kiosk = client("grants", "kiosk", null);
		DeviceAuthorizationSuccessResponse device = kiosk.deviceAuthorization(new Scope("profile")).toSuccessResponse();
		this.context = Chromium.newContext(locale);
		Page page = this.context.newPage();
		List<String> report = new ArrayList<>();

		page.navigate(device.getVerificationURI().toString());
		page.getByLabel(usernameLabel, new Page.GetByLabelOptions().setExact(true)).fill("device-browser-" + lang);
		page.getByLabel(passwordLabel, new Page.GetByLabelOptions().setExact(true))
			.fill("device-browser-" + lang + "-test-pass");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(logIn).setExact(true)).click();
		PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", lang);
		PlaywrightAssertions.assertThat(page.locator("form.device-form")).isVisible();
		report.addAll(Chromium.axe(page, "device code form"));

		page.getByLabel(codeLabel).fill("BBBB-BBBB");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(next)).click();
		PlaywrightAssertions.assertThat(page.locator("#user_code")).hasAttribute("aria-invalid", "true");
		report.addAll(Chromium.axe(page, "device code form, wrong code"));

		page.getByLabel(codeLabel).fill(device.getUserCode().getValue().toLowerCase());
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(next)).click();
		PlaywrightAssertions.assertThat(page.locator("#device-code")).containsText(device.getUserCode().getValue());
		report.addAll(Chromium.axe(page, "device consent"));

		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(allow)).click();
		PlaywrightAssertions.assertThat(page.locator("#device-approved")).containsText(connected);
		report.addAll(Chromium.axe(page, "device connected"));

		assertThat(report).as(() -> "axe-core violations:\n" + String.join("\n", report)).isEmpty();
		assertThat(kiosk.token(new DeviceCodeGrant(device.getDeviceCode())).indicatesSuccess()).isTrue();
	}

}
