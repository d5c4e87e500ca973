package jp.hitotsu.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.exitBlockOnFail;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.holdFor;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.reachRps;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.flushCookieJar;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The load driver: one OpenID Connect scenario ({@code -Dbench.scenario}) against any
 * provider named by its issuer ({@code -Dbench.issuer}); endpoints come from the
 * provider's discovery document. Every response is checked; any failed check is a KO,
 * and the run asserts there are none.
 *
 * <p>
 * Each virtual user first repeats its step for {@code bench.warmUp} seconds (requests
 * grouped under "warm-up", left out of the figures), then for {@code bench.duration}
 * seconds, the measured window: the server probe starts when the first virtual user
 * enters it and stops when the last one is done. Warming up in the same run warms the
 * load tool's JVM too.
 *
 * <p>
 * Scenarios (each virtual user repeats its step until {@code bench.duration} ends; the
 * measured request of each, used for throughput and latency, is in brackets):
 * <ul>
 * <li>{@code client-credentials}: token request with client_secret_basic [token
 * (client_credentials)];</li>
 * <li>{@code login}: browserless authorization code + PKCE login: authorize, follow
 * redirects to the page holding a password form, post it with its hidden fields, follow
 * redirects up to the redirect URI, exchange the code [group "login"];</li>
 * <li>{@code refresh}: each virtual user logs in once (before the window) and then
 * refreshes, always with the newest refresh token (rotation) [token (refresh_token)];</li>
 * <li>{@code introspection}: a resource server (bench-cc) introspects a user's access
 * token [introspect];</li>
 * <li>{@code userinfo}, {@code jwks}, {@code discovery}: one GET each.</li>
 * </ul>
 * Gatling's cookie jar treats 127.0.0.0/8 as a secure context (as browsers do), so it
 * sends back the cookies Keycloak marks {@code Secure} on http://127.0.0.1; the login
 * scenario starts each login from an empty jar.
 */
public class OidcSimulation extends Simulation {

	static final List<String> SCENARIOS = List.of("client-credentials", "login", "refresh", "introspection", "userinfo",
			"jwks", "discovery");

	private static final int MAX_HOPS = 10;

	private final BenchConfig config = BenchConfig.fromSystemProperties();

	/** One per instance; {@link #provider} is the first. */
	private final List<Provider> providers = this.config.issuers().stream().map(Provider::discover).toList();

	private final Provider provider = this.providers.get(0);

	/** Round-robin over the instances, as a load balancer without affinity. */
	private final AtomicLong requests = new AtomicLong();

	private final ServerProbe probe = new ServerProbe(this.config);

	private final AtomicLong logins = new AtomicLong();

	private final String ccAuthorization = Http.basic(this.config.ccClientId(), this.config.ccClientSecret());

	private final String webAuthorization = Http.basic(this.config.webClientId(), this.config.webClientSecret());

	{
		if (!SCENARIOS.contains(this.config.scenario())) {
			throw new IllegalArgumentException("unknown scenario " + this.config.scenario() + "; one of " + SCENARIOS);
		}
		checkSigningAlgorithm();
		HttpProtocolBuilder protocol = http.disableWarmUp() // its default warm-up URL is on the internet
			.disableCaching() // JWKS and discovery may be cacheable: every iteration must reach the server
			.disableFollowRedirect()
			.acceptEncodingHeader("identity")
			.userAgentHeader("hitotsu-bench (Gatling)");
		ChainBuilder warmUp = this.config.warmUp().isZero() ? exec((session) -> session)
				: group("warm-up").on(during(this.config.warmUp()).on(exitBlockOnFail().on(step())));
		ScenarioBuilder scenario = scenario(this.config.scenario()).exec(setUpUser())
			.exec(warmUp)
			.exec((session) -> {
				this.probe.startOnce();
				return session;
			})
			.exec(during(this.config.duration()).on(exitBlockOnFail().on(step())));
		OpenInjectionStep injection = this.config.rampUp().isZero() ? atOnceUsers(this.config.users())
				: rampUsers(this.config.users()).during(this.config.rampUp());
		PopulationBuilder population = scenario.injectOpen(injection).protocols(protocol);
		SetUp setUp = setUp(population);
		if (this.config.rate() > 0) {
			setUp.throttle(reachRps((int) Math.ceil(this.config.rate())).in(Duration.ofSeconds(1)),
					holdFor(this.config.duration().plusSeconds(60)));
		}
		setUp.assertions(global().failedRequests().count().is(0L));
		System.out.printf("bench: %s against %s, %d users, warm-up %s, measured %s%n", this.config.scenario(),
				String.join(", ", this.config.issuers()), this.config.users(), this.config.warmUp(), this.config.duration());
	}

	@Override
	public void after() {
		this.probe.stop();
	}

	/**
	 * Takes one client credentials token before the load and checks that its signature uses
	 * {@code bench.alg} (when given), so that a comparison never mixes algorithms unnoticed.
	 */
	private void checkSigningAlgorithm() {
		JsonNode token = Http.postForm(this.provider.token(), this.config.ccClientId(), this.config.ccClientSecret(),
				Map.of("grant_type", "client_credentials", "scope", this.config.ccScope()));
		String jwt = token.path("access_token").asText();
		String alg;
		try {
			alg = Http.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))))
				.path("alg")
				.asText();
		}
		catch (java.io.IOException | RuntimeException ex) {
			throw new IllegalStateException("the access token is not a JWT: " + Http.abbreviate(jwt), ex);
		}
		System.out.printf("bench: access tokens are signed with %s%n", alg);
		if (!this.config.expectedAlgorithm().isEmpty() && !this.config.expectedAlgorithm().equals(alg)) {
			throw new IllegalStateException(
					"access tokens are signed with " + alg + ", not " + this.config.expectedAlgorithm() + " (bench.alg)");
		}
	}

	/** Once per virtual user, before its loop: the tokens it needs, from a login outside the load. */
	private ChainBuilder setUpUser() {
		return switch (this.config.scenario()) {
			case "refresh", "userinfo", "introspection" -> {
				ConcurrentLinkedQueue<JsonNode> tokens = new ConcurrentLinkedQueue<>(setUpLogins(this.config.users()));
				yield exec((session) -> {
					JsonNode token = tokens.poll();
					if (token == null) {
						throw new IllegalStateException("more virtual users than set-up logins");
					}
					return session.set("accessToken", token.get("access_token").asText())
						.set("refreshToken", token.get("refresh_token").asText());
				});
			}
			default -> exec((session) -> session);
		};
	}

	/** Logs users in with the JDK client (not measured), one per virtual user. */
	private List<JsonNode> setUpLogins(int count) {
		List<JsonNode> tokens = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			tokens.add(DirectLogin.login(this.provider, this.config, this.config.username(i)));
		}
		System.out.printf("bench: %d set-up logins done%n", count);
		return tokens;
	}

	private ChainBuilder step() {
		return switch (this.config.scenario()) {
			// spread over the instances; the other scenarios keep to the first (their set-up
			// tokens name its issuer)
			case "client-credentials" -> exec(http("token (client_credentials)").post((session) -> next().token().toString())
				.header("Authorization", this.ccAuthorization)
				.formParam("grant_type", "client_credentials")
				.formParam("scope", this.config.ccScope())
				.check(status().is(200), jsonPath("$.access_token").exists(),
						jsonPath("$.token_type").transform((type) -> type.toLowerCase()).is("bearer")));
			case "login" -> group("login").on(login());
			case "refresh" -> exec(http("token (refresh_token)").post(this.provider.token().toString())
				.header("Authorization", this.webAuthorization)
				.formParam("grant_type", "refresh_token")
				.formParam("refresh_token", "#{refreshToken}")
				.check(status().is(200), jsonPath("$.access_token").exists(),
						jsonPath("$.refresh_token").saveAs("refreshToken")));
			case "introspection" -> exec(http("introspect").post(this.provider.introspection().toString())
				.header("Authorization", this.ccAuthorization)
				.formParam("token", "#{accessToken}")
				.check(status().is(200), jsonPath("$.active").ofBoolean().is(true)));
			case "userinfo" -> exec(http("userinfo").get(this.provider.userInfo().toString())
				.header("Authorization", "Bearer #{accessToken}")
				.check(status().is(200), jsonPath("$.sub").exists()));
			case "jwks" -> exec(http("jwks").get(this.provider.jwks().toString())
				.check(status().is(200), jsonPath("$.keys[0].kty").exists()));
			case "discovery" -> exec(http("discovery").get(this.provider.discovery().toString())
				.check(status().is(200), jsonPath("$.issuer").is(this.provider.issuer())));
			default -> throw new IllegalArgumentException(this.config.scenario());
		};
	}

	/**
	 * One login by a new browser: authorize, redirects, the password form, redirects, the
	 * code at the redirect URI, the token exchange.
	 */
	private ChainBuilder login() {
		return exec(flushCookieJar()).exec((session) -> {
			String verifier = Pkce.random(32);
			String state = Pkce.random(16);
			// a whole login on one instance (the browser's redirects stay on its host)
			Provider instance = next();
			String url = instance.authorizationRequest(this.config.webClientId(), this.config.redirectUri(),
					"openid profile email", state, Pkce.random(16), Pkce.challenge(verifier));
			return session.remove("code")
				.remove("location")
				.remove("form")
				.set("url", url)
				.set("tokenUrl", instance.token().toString())
				.set("verifier", verifier)
				.set("state", state)
				.set("hops", 0)
				.set("username", this.config.username(this.logins.getAndIncrement()));
		})
			.exec(browserGet("authorize"))
			.asLongAs(this::mustFollow)
			.on(exec(this::hop).exec(browserGet("login redirect")))
			.doIf((session) -> session.contains("form"))
			.then(exec(browser(http("login form post").post((session) -> form(session).action().toString())
				.header("Content-Type", "application/x-www-form-urlencoded")
				.body(StringBody((session) -> form(session).body())), true))
				.asLongAs(this::mustFollow)
				.on(exec(this::hop).exec(browserGet("login redirect"))))
			.exec(http("token (authorization_code)").post("#{tokenUrl}")
				.header("Authorization", this.webAuthorization)
				.formParam("grant_type", "authorization_code")
				.formParam("code", (session) -> session.contains("code") ? session.getString("code") : "(no code)")
				.formParam("redirect_uri", this.config.redirectUri())
				.formParam("code_verifier", "#{verifier}")
				.check(status().is(200), jsonPath("$.access_token").exists(), jsonPath("$.id_token").exists(),
						jsonPath("$.refresh_token").exists()));
	}

	private Provider next() {
		return this.providers.get((int) Math.floorMod(this.requests.getAndIncrement(), (long) this.providers.size()));
	}

	private HttpRequestActionBuilder browserGet(String name) {
		return browser(http(name).get("#{url}"), false);
	}

	/**
	 * A browser step: a redirect (its Location saved), the page with the password form (the
	 * form saved), or the redirect to the client carrying the code (checked: code, the
	 * state sent, no error).
	 */
	private HttpRequestActionBuilder browser(HttpRequestActionBuilder request, boolean formPost) {
		String redirectUri = this.config.redirectUri();
		HttpRequestActionBuilder checked = request.header("Accept", "text/html,application/xhtml+xml")
			.header("Accept-Language", "en")
			.check(formPost ? status().in(302, 303) : status().in(200, 302, 303),
					header("Location").transformWithSession((location, session) -> {
						if (location != null && location.startsWith(redirectUri)) {
							Map<String, String> params = DirectLogin.query(URI.create(location));
							if (params.containsKey("error") || !params.containsKey("code")
									|| !session.getString("state").equals(params.get("state"))) {
								throw new IllegalStateException("bad authorization response " + location);
							}
						}
						return location;
					}).optional().saveAs("location"),
					header("Location").transform((location) -> location != null && location.startsWith(redirectUri)
							? DirectLogin.query(URI.create(location)).get("code") : null)
						.optional()
						.saveAs("code"));
		if (formPost) {
			return checked;
		}
		return checked.checkIf((response, session) -> response.status().code() == 200)
			.then(bodyString().transformWithSession((body, session) -> LoginForm.parse(body,
					URI.create(session.getString("url")), session.getString("username"), this.config.password()))
				.saveAs("form"));
	}

	private boolean mustFollow(Session session) {
		String location = session.contains("location") ? session.getString("location") : null;
		return location != null && !location.startsWith(this.config.redirectUri()) && session.getInt("hops") < MAX_HOPS;
	}

	private Session hop(Session session) {
		URI next = URI.create(session.getString("url")).resolve(session.getString("location"));
		return session.set("url", next.toString()).set("hops", session.getInt("hops") + 1).remove("location").remove("form");
	}

	private static LoginForm form(Session session) {
		return (LoginForm) session.get("form");
	}

}
