package jp.hitotsu.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.Chromium;
import jp.hitotsu.support.OidcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Brokering against real OpenID providers over HTTP: a second Hitotsu process (realm
 * {@code idp}, reached as {@code localhost} so that the two servers' cookies stay apart, as
 * they would on two hosts) and, for the answers no honest provider gives, a provider this
 * test plays on loopback (discovery, JWKS and a token endpoint that answers the ID token
 * each test sets: a tampered one, another nonce, another issuer).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerIT {

	private static final String REALM = "brokered";

	private static final URI RP_CALLBACK = URI.create("http://127.0.0.1/rp/callback");

	private static final String MY_NUMBER = "123456789018";

	private Path dir;

	private ServerProcess upstream;

	private ServerProcess downstream;

	private HttpServer fake;

	private NodeApp nodeProvider;

	private int nodePort;

	private final ECKey fakeKey = newKey("fake-upstream");

	private final AtomicReference<String> fakeIdToken = new AtomicReference<>();

	private String adminToken;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("hitotsu-broker-it-");
		ECKey clientKey = newKey("hitotsu-broker");
		Path keyFile = this.dir.resolve("broker-key.json");
		Files.writeString(keyFile, clientKey.toJSONString());
		startFakeProvider();
		int upPort = ServerProcess.freePort();
		int downPort = ServerProcess.freePort();
		startNodeProvider(clientKey, downPort);
		Path upRealms = Files.createDirectories(this.dir.resolve("up-realms"));
		Files.writeString(upRealms.resolve("idp.yaml"), """
				name: idp
				zone: internet
				display-name: {ja: 上流, en: Upstream}
				tokens:
				  signing-algorithm: ES256
				clients:
				  - client-id: hitotsu-broker
				    authentication-methods: [private_key_jwt]
				    jwks: {keys: [%s]}
				    grant-types: [authorization_code]
				    redirect-uris: [http://127.0.0.1:%d/realms/brokered/broker/upstream-hitotsu/callback]
				    scopes: [openid, profile, email]
				users:
				  - username: taro
				    password: taro-upstream-pass-0001
				    family-name: 上流
				    given-name: 太郎
				    email: taro@example.test
				    email-verified: true
				""".formatted(clientKey.toPublicJWK().toJSONString(), downPort));
		Path downRealms = Files.createDirectories(this.dir.resolve("down-realms"));
		Files.writeString(downRealms.resolve("staff.yaml"), """
				name: staff
				zone: internet
				display-name: {ja: 職員, en: Staff}
				clients:
				  - client-id: admin-console
				    authentication-methods: [none]
				    grant-types: [authorization_code]
				    redirect-uris: [http://127.0.0.1/admin/callback]
				    scopes: [openid]
				    roles: [realm-admin:brokered]
				users:
				  - username: broker-admin
				    password: broker-admin-test-pass-0001
				    roles: [realm-admin:brokered]
				""");
		Files.writeString(downRealms.resolve("brokered.yaml"), """
				name: brokered
				zone: internet
				display-name: {ja: 連携先, en: Brokered}
				clients:
				  - client-id: rp
				    authentication-methods: [none]
				    grant-types: [authorization_code]
				    redirect-uris: [%1$s]
				    scopes: [openid, profile, email]
				  - client-id: rp-assured
				    authentication-methods: [none]
				    grant-types: [authorization_code]
				    redirect-uris: [%1$s]
				    scopes: [openid, profile]
				    verified-claims: true
				    minimum-ial: 3
				users:
				  - username: hanako
				    password: hanako-own-pass-0001
				  - username: jiro
				    password: jiro-own-pass-0001
				    family-name: 確認
				    given-name: 次郎
				upstream-providers:
				  - alias: upstream-hitotsu
				    display-name: {ja: 上流ひとつ, en: Upstream Hitotsu}
				    issuer: http://localhost:%2$d/realms/idp
				    client-id: hitotsu-broker
				    private-key-file: %3$s
				    scopes: [openid, profile, email]
				    id-token-algorithm: ES256
				    ial: 2
				    level: aal1
				  - alias: card
				    display-name: {ja: マイナンバーカード, en: My Number Card}
				    issuer: http://127.0.0.1:%4$d
				    client-id: fake-client
				    private-key-file: %3$s
				    scopes: [openid, name, address, birthdate, gender]
				    acr-values: [aal3]
				    id-token-algorithm: ES256
				    claims: {family-name: family_name, given-name: given_name}
				    ial: 3
				    level: aal3
				  - alias: card-link
				    display-name: {ja: カード（連携）, en: Card (link)}
				    issuer: http://127.0.0.1:%4$d
				    client-id: fake-client
				    private-key-file: %3$s
				    acr-values: [aal3]
				    id-token-algorithm: ES256
				    ial: 3
				    level: aal3
				    first-login: link
				  - alias: node-op
				    display-name: {ja: 別実装, en: Another implementation}
				    issuer: http://127.0.0.1:%5$d
				    client-id: hitotsu-broker
				    private-key-file: %3$s
				    scopes: [openid, profile, email]
				    ial: 2
				""".formatted(RP_CALLBACK, upPort, keyFile, this.fake.getAddress().getPort(), this.nodePort));
		this.upstream = ServerProcess.launch("broker-upstream", upPort,
				List.of("--hitotsu.data-dir=" + this.dir.resolve("up-data"), "--hitotsu.realms-dir=" + upRealms));
		this.downstream = ServerProcess.launch("broker-downstream", downPort,
				List.of("--hitotsu.data-dir=" + this.dir.resolve("down-data"), "--hitotsu.realms-dir=" + downRealms));
		this.upstream.awaitReady(ServerProcess.START_TIMEOUT);
		this.downstream.awaitReady(ServerProcess.START_TIMEOUT);
		this.adminToken = new AdminApi(this.downstream.base()).token("broker-admin", "broker-admin-test-pass-0001");
	}

	@AfterAll
	void stop() {
		try {
			if (this.fake != null) {
				this.fake.stop(0);
			}
			if (this.nodeProvider != null) {
				this.nodeProvider.close();
			}
			for (ServerProcess server : new ServerProcess[] { this.upstream, this.downstream }) {
				if (server != null) {
					server.stop();
				}
			}
		}
		finally {
			ServerProcess.cleanUp(this.dir);
		}
	}

	@Test
	void loginThroughUpstreamHitotsuCreatesAccountOnceAndRecordsItsEvidence() {
		Login first = new Login();
		URI toUpstream = first.startAt("upstream-hitotsu");
		assertThat(toUpstream.getHost()).isEqualTo("localhost");
		Map<String, String> request = query(toUpstream);
		assertThat(request).containsEntry("code_challenge_method", "S256")
			.containsKeys("state", "nonce", "code_challenge")
			.containsEntry("client_id", "hitotsu-broker");
		URI back = first.browser.authorize(toUpstream, "taro", "taro-upstream-pass-0001");
		assertThat(back.getPath()).isEqualTo("/realms/brokered/broker/upstream-hitotsu/callback");
		JWTClaimsSet idToken = first.finish(back);
		assertThat(idToken.getClaim("family_name")).isEqualTo("上流");
		assertThat(idToken.getClaim("email")).isEqualTo("taro@example.test");
		assertThat(idToken.getClaim("amr").toString()).contains("fed");

		JsonNode assurance = evidence(idToken.getSubject());
		assertThat(assurance.get("ial").intValue()).isEqualTo(2);
		assertThat(assurance.get("evidence")).singleElement().satisfies((evidence) -> {
			assertThat(evidence.get("provider").stringValue()).isEqualTo("http://localhost:" + this.upstream.port() + "/realms/idp");
			assertThat(evidence.get("evidence").stringValue()).isEqualTo("upstream_login");
		});

		Login second = new Login();
		JWTClaimsSet again = second.finish(second.browser.authorize(second.startAt("upstream-hitotsu"), "taro",
				"taro-upstream-pass-0001"));
		assertThat(again.getSubject()).as("the link, not a second account").isEqualTo(idToken.getSubject());
	}

	@Test
	void loginThroughOidcProviderOfNpmCreatesAccountFromUserInfoWithoutItsMyNumber() {
		Login login = new Login();
		URI toProvider = login.startAt("node-op");
		assertThat(toProvider.getPort()).isEqualTo(this.nodePort);
		HttpResponse<String> response = login.browser.get(toProvider);
		URI back = null;
		for (int step = 0; step < 12 && back == null; step++) {
			if (response.statusCode() == 200) {
				// the provider's development login (any name is an account) and then its consent
				Map<String, String> values = response.body().contains("name=\"login\"")
						? Map.of("login", "kenji", "password", "any") : Map.of();
				response = login.browser.submit(response, "form", values);
				continue;
			}
			assertThat(response.statusCode()).as(response::body).isBetween(300, 399);
			URI location = Browserless.location(response);
			if (location.getPath().endsWith("/broker/node-op/callback")) {
				back = location;
			}
			else {
				response = login.browser.get(location);
			}
		}
		assertThat(back).as("oidc-provider sends the browser back to the realm").isNotNull();
		JWTClaimsSet idToken = login.finish(back);
		assertThat(idToken.getClaim("family_name")).isEqualTo("外部");
		assertThat(idToken.getClaim("email")).isEqualTo("kenji@example.test");
		JsonNode assurance = evidence(idToken.getSubject());
		assertThat(assurance.get("ial").intValue()).isEqualTo(2);
		assertThat(assurance.get("evidence").get(0).get("provider").stringValue())
			.isEqualTo("http://127.0.0.1:" + this.nodePort);
		assertThat(this.downstream.logText()).doesNotContain("210987654321");
		assertThat(audit()).doesNotContain("210987654321");
	}

	@Test
	void loginThroughCardProviderReachesAal3DropsTheMyNumberAndRecordsIal3() throws Exception {
		Login login = new Login();
		Map<String, String> request = query(login.startAt("card"));
		assertThat(request).containsEntry("acr_values", "aal3").containsEntry("scope",
				"openid name address birthdate gender");
		this.fakeIdToken.set(fakeIdToken(claims(request.get("nonce"), "card-person-1")
			.claim("my_number", MY_NUMBER)
			.claim("individual_number", MY_NUMBER)
			.claim("note", MY_NUMBER)
			.build(), this.fakeKey));
		JWTClaimsSet idToken = login.finish(login.callback("card", request.get("state")));
		assertThat(idToken.getClaim("acr")).as("the card's aal3").isNotNull();
		assertThat(idToken.getClaim("family_name")).isEqualTo("番号");
		assertThat(evidence(idToken.getSubject()).get("ial").intValue()).isEqualTo(3);
		assertThat(this.downstream.logText()).doesNotContain(MY_NUMBER);
		assertThat(audit()).doesNotContain(MY_NUMBER).contains("UPSTREAM_LINKED");
	}

	@Test
	void idTokenSignedByAnotherKeyIsRefused() throws Exception {
		assertRefused((nonce) -> fakeIdToken(claims(nonce, "tampered").build(), newKey("fake-upstream")),
				"Signed JWT rejected");
	}

	@Test
	void idTokenWithAnotherNonceIsRefused() throws Exception {
		assertRefused((nonce) -> fakeIdToken(claims("another-nonce", "wrong-nonce").build(), this.fakeKey),
				"nonce");
	}

	@Test
	void idTokenOfAnotherIssuerIsRefused() throws Exception {
		assertRefused((nonce) -> fakeIdToken(new JWTClaimsSet.Builder(claims(nonce, "wrong-issuer").build())
			.issuer("http://127.0.0.1:1/elsewhere")
			.build(), this.fakeKey), "issuer");
	}

	@Test
	void idTokenBelowTheAcrAskedIsRefused() throws Exception {
		assertRefused((nonce) -> fakeIdToken(new JWTClaimsSet.Builder(claims(nonce, "low-acr").build())
			.claim("acr", "aal1")
			.build(), this.fakeKey), "aal1");
	}

	@Test
	void answerWithoutTheStateSentIsRefused() {
		Login login = new Login();
		login.startAt("card");
		HttpResponse<String> refused = login.browser
			.get(this.downstream.uri("/realms/brokered/broker/card/callback?code=x&state=forged"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("Brokered").contains("My Number Card");
	}

	@Test
	void firstLoginOfALinkingProviderLinksTheAccountItsOwnerLogsInTo() throws Exception {
		Login login = new Login();
		Map<String, String> request = query(login.startAt("card-link"));
		this.fakeIdToken.set(fakeIdToken(claims(request.get("nonce"), "hanako-at-card").build(), this.fakeKey));
		HttpResponse<String> linkPage = login.browser.get(login.callback("card-link", request.get("state")));
		assertThat(linkPage.statusCode()).isEqualTo(200);
		assertThat(linkPage.body()).contains("Card (link)");
		HttpResponse<String> loggedIn = login.browser.submitLogin(this.downstream.uri("/realms/brokered/login"),
				"hanako", "hanako-own-pass-0001");
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		JWTClaimsSet own = login.finishLoggedIn(Browserless.location(loggedIn));
		assertThat(evidence(own.getSubject()).get("ial").intValue()).isEqualTo(3);

		Login later = new Login();
		Map<String, String> again = query(later.startAt("card-link"));
		this.fakeIdToken.set(fakeIdToken(claims(again.get("nonce"), "hanako-at-card").build(), this.fakeKey));
		JWTClaimsSet linked = later.finish(later.callback("card-link", again.get("state")));
		assertThat(linked.getSubject()).as("hanako's own account").isEqualTo(own.getSubject());
	}

	@Test
	void clientNeedingIal3SendsThePersonToTheCardAndAloneGetsVerifiedClaims() throws Exception {
		Login assured = new Login("rp-assured", "openid profile");
		HttpResponse<String> toLogin = assured.browser.get(assured.authorization.uri());
		HttpResponse<String> loggedIn = assured.browser.submitLogin(Browserless.location(toLogin), "jiro",
				"jiro-own-pass-0001");
		HttpResponse<String> toRaise = assured.browser.get(Browserless.location(loggedIn));
		assertThat(toRaise.statusCode()).isEqualTo(302);
		assertThat(Browserless.location(toRaise).getPath()).isEqualTo("/realms/brokered/broker/card/login");
		HttpResponse<String> toCard = assured.browser.get(this.downstream.uri("/realms/brokered/broker/card/login"));
		Map<String, String> request = query(Browserless.location(toCard));
		this.fakeIdToken.set(fakeIdToken(claims(request.get("nonce"), "jiro-at-card").build(), this.fakeKey));
		JWTClaimsSet idToken = assured.finish(assured.callback("card", request.get("state")));
		Map<String, Object> verified = idToken.getJSONObjectClaim("verified_claims");
		assertThat(verified).as("verified_claims of an allowed client").isNotNull();
		assertThat(verified.get("verification").toString()).contains("nist_800_63A").contains("ial3")
			.contains("http://127.0.0.1:" + this.fake.getAddress().getPort());
		assertThat(verified.get("claims").toString()).contains("確認").contains("次郎");

		OidcClient.Authorization plain = assured.rp(REALM, "rp").authorization(RP_CALLBACK, "openid profile");
		JWTClaimsSet notAllowed = assured.rp(REALM, "rp")
			.exchange(assured.browser.authorizeLoggedIn(plain.uri()), plain)
			.getOIDCTokens()
			.getIDToken()
			.getJWTClaimsSet();
		assertThat(notAllowed.getSubject()).isEqualTo(idToken.getSubject());
		assertThat(notAllowed.getClaim("verified_claims")).as("a client without verified-claims").isNull();
	}

	@Test
	void levelNoProviderProvesIsExplainedNamingTheClient() {
		HttpResponse<String> page = new Browserless().language("en")
			.get(this.downstream.uri("/realms/brokered/broker/ial-unreachable?client=some-app&ial=3"));
		assertThat(page.statusCode()).isEqualTo(403);
		assertThat(page.body()).contains("some-app").contains("level 3").contains("Brokered");
	}

	@ParameterizedTest
	@CsvSource({ "ja-JP, ja", "en-US, en" })
	void browserLogsInThroughUpstreamHitotsuAndBrokerPagesHaveNoAccessibilityViolations(String locale, String lang)
			throws Exception {
		List<String> report = new ArrayList<>();
		try (BrowserContext context = Chromium.newContext(locale)) {
			Page page = context.newPage();
			page.navigate(this.downstream.base() + "/realms/brokered/login");
			PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", lang);
			report.addAll(Chromium.axe(page, "login page with upstream providers"));
			page.locator("a[href='/realms/brokered/broker/upstream-hitotsu/login']").click();
			page.waitForURL((url) -> url.startsWith("http://localhost:" + this.upstream.port() + "/realms/idp/login"));
			page.locator("#username").fill("taro");
			page.locator("#password").fill("taro-upstream-pass-0001");
			page.locator("form.login-form button[type=submit]").click();
			page.waitForURL(this.downstream.base() + "/realms/brokered/login");
			PlaywrightAssertions.assertThat(page.locator("div.notice")).containsText("upstream-hitotsu-");
			report.addAll(Chromium.axe(page, "logged in through the upstream"));

			page.navigate(this.downstream.base() + "/realms/brokered/broker/card/callback?code=x&state=forged");
			report.addAll(Chromium.axe(page, "refused answer"));

			Page linking = context.newPage();
			linking.navigate(this.downstream.base() + "/realms/brokered/broker/card-link/login");
			Map<String, String> request = query(URI.create(linking.url()));
			this.fakeIdToken.set(fakeIdToken(claims(request.get("nonce"), "browser-link-" + lang).build(),
					this.fakeKey));
			linking.navigate(this.downstream.base() + "/realms/brokered/broker/card-link/callback?code=x&state="
					+ request.get("state"));
			report.addAll(Chromium.axe(linking, "link page"));
		}
		assertThat(report).as(() -> "axe-core violations (" + lang + "):\n" + String.join("\n", report)).isEmpty();
	}

	@Test
	void browserLogsInThroughOidcProviderOfNpm() {
		try (BrowserContext context = Chromium.newContext("en-US")) {
			Page page = context.newPage();
			page.navigate(this.downstream.base() + "/realms/brokered/login");
			page.locator("a[href='/realms/brokered/broker/node-op/login']").click();
			page.waitForURL((url) -> url.startsWith("http://127.0.0.1:" + this.nodePort + "/interaction/"));
			page.locator("input[name=login]").fill("emi");
			page.locator("input[name=password]").fill("any");
			String login = page.url();
			page.locator("button[type=submit]").click();
			page.waitForURL((url) -> !url.equals(login));
			// its consent page, when it asks
			if (page.url().contains("/interaction/")) {
				page.locator("button[type=submit]").first().click();
			}
			page.waitForURL(this.downstream.base() + "/realms/brokered/login");
			PlaywrightAssertions.assertThat(page.locator("div.notice")).containsText("node-op-");
		}
	}

	private void assertRefused(TokenMaker maker, String reason) throws Exception {
		Login login = new Login();
		Map<String, String> request = query(login.startAt("card"));
		this.fakeIdToken.set(maker.make(request.get("nonce")));
		HttpResponse<String> refused = login.browser.get(login.callback("card", request.get("state")));
		assertThat(refused.statusCode()).as(refused::body).isEqualTo(401);
		assertThat(refused.body()).contains("Brokered").contains("My Number Card").contains(reason);
		// no login: the authorization request still leads to the login page
		assertThat(login.browser.get(login.authorization.uri()).headers().firstValue("Location").orElse(""))
			.contains("/realms/brokered/login");
	}

	@FunctionalInterface
	private interface TokenMaker {

		String make(String nonce) throws JOSEException;

	}

	/** One browser taking the relying party's authorization request through the realm. */
	private final class Login {

		final Browserless browser = new Browserless().language("en");

		final OidcClient rp;

		final OidcClient.Authorization authorization;

		Login() {
			this("rp", "openid profile email");
		}

		Login(String clientId, String scope) {
			this.rp = rp(REALM, clientId);
			this.authorization = this.rp.authorization(RP_CALLBACK, scope);
		}

		OidcClient rp(String realm, String clientId) {
			return new OidcClient(BrokerIT.this.downstream.discover(realm), clientId, null);
		}

		/** Opens the login page through the authorization request and presses the provider's button. */
		URI startAt(String alias) {
			HttpResponse<String> toLogin = this.browser.get(this.authorization.uri());
			assertThat(toLogin.statusCode()).isEqualTo(302);
			HttpResponse<String> page = this.browser.get(Browserless.location(toLogin));
			String button = "/realms/brokered/broker/" + alias + "/login";
			assertThat(page.body()).contains("href=\"" + button + "\"");
			HttpResponse<String> toUpstream = this.browser.get(BrokerIT.this.downstream.uri(button));
			assertThat(toUpstream.statusCode()).as(toUpstream::body).isEqualTo(302);
			return Browserless.location(toUpstream);
		}

		URI callback(String alias, String state) {
			return BrokerIT.this.downstream
				.uri("/realms/brokered/broker/" + alias + "/callback?code=fake-code&state=" + state);
		}

		/** Brings the provider's answer back and follows on to the relying party's tokens. */
		JWTClaimsSet finish(URI callback) {
			HttpResponse<String> back = this.browser.get(callback);
			assertThat(back.statusCode()).as(back::body).isEqualTo(302);
			return finishLoggedIn(Browserless.location(back));
		}

		JWTClaimsSet finishLoggedIn(URI resumed) {
			OIDCTokenResponse tokens = this.rp.exchange(this.browser.authorizeLoggedIn(resumed), this.authorization);
			try {
				return tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
			}
			catch (java.text.ParseException ex) {
				throw new AssertionError(ex);
			}
		}

	}

	private JsonNode evidence(String subject) {
		HttpResponse<String> response = new AdminApi(this.downstream.base())
			.get("/admin/api/realms/brokered/users/" + subject + "/evidence", this.adminToken);
		assertThat(response.statusCode()).as(response::body).isEqualTo(200);
		return AdminApi.json(response);
	}

	private String audit() {
		return new AdminApi(this.downstream.base()).get("/admin/api/realms/brokered/audit-events", this.adminToken)
			.body();
	}

	private JWTClaimsSet.Builder claims(String nonce, String subject) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(fakeIssuer())
			.audience("fake-client")
			.subject(subject)
			.claim("nonce", nonce)
			.claim("acr", "aal3")
			.claim("family_name", "番号")
			.claim("given_name", "花子")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)));
	}

	private static String fakeIdToken(JWTClaimsSet claims, ECKey key) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
		jwt.sign(new ECDSASigner(key));
		return jwt.serialize();
	}

	private String fakeIssuer() {
		return "http://127.0.0.1:" + this.fake.getAddress().getPort();
	}

	/**
	 * panva/node-oidc-provider, installed from the lock file out of npm's local cache (no
	 * network while testing) into {@code target/}, on a free loopback port.
	 */
	private void startNodeProvider(ECKey clientKey, int downPort) {
		Path work = NodeApp.install("oidc-provider", Path.of("src", "test", "node", "oidc-provider").toAbsolutePath(),
				List.of("package.json", "package-lock.json", "provider.mjs"));
		this.nodePort = ServerProcess.freePort();
		this.nodeProvider = NodeApp.start("oidc-provider", work, "provider.mjs",
				Map.of("PORT", String.valueOf(this.nodePort), "REDIRECT_URI",
						"http://127.0.0.1:" + downPort + "/realms/brokered/broker/node-op/callback", "CLIENT_JWKS",
						new JWKSet(clientKey.toPublicJWK()).toString(true)),
				URI.create("http://127.0.0.1:" + this.nodePort + "/.well-known/openid-configuration"));
	}

	/** Discovery, keys and a token endpoint: just enough of a provider to answer what a test sets. */
	private void startFakeProvider() throws IOException {
		this.fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.fake.createContext("/.well-known/openid-configuration", (exchange) -> json(exchange, """
				{"issuer": "%1$s", "authorization_endpoint": "%1$s/authorize", "token_endpoint": "%1$s/token",
				 "jwks_uri": "%1$s/jwks", "response_types_supported": ["code"], "subject_types_supported": ["public"],
				 "id_token_signing_alg_values_supported": ["ES256"]}
				""".formatted(fakeIssuer())));
		this.fake.createContext("/jwks",
				(exchange) -> json(exchange, new JWKSet(this.fakeKey.toPublicJWK()).toString(true)));
		this.fake.createContext("/token", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			json(exchange, """
					{"access_token": "fake-access-token", "token_type": "Bearer", "expires_in": 60, "id_token": "%s"}
					""".formatted(this.fakeIdToken.get()));
		});
		this.fake.start();
	}

	private static void json(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	private static ECKey newKey(String keyId) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, String> query(URI uri) {
		Map<String, String> parameters = new HashMap<>();
		for (String pair : uri.getRawQuery().split("&")) {
			int equals = pair.indexOf('=');
			parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return parameters;
	}

}
