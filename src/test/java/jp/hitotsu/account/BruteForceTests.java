package jp.hitotsu.account;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.ServerTest;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Brute-force defence over HTTP, as an attacker and a help desk meet it. The realm
 * {@code guarded} delays attempts after 3 failures (2 s, doubling) and locks after 4;
 * {@code throttled} allows 5 unsuccessful attempts a minute per client address.
 */
class BruteForceTests extends ServerTest {

	private static final String INCORRECT = "The username or password is incorrect.";

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private LoginThrottlePurge purge;

	@Test
	void loginWhenFailuresRepeatThenDelayedThenLockedUntilHelpdeskClearsIt() throws Exception {
		for (int attempt = 1; attempt <= 3; attempt++) {
			assertThat(login("guarded", "lockout-1", "wrong-" + attempt).statusCode()).isEqualTo(401);
		}
		assertThat(login("guarded", "lockout-1", "lockout-1-test-pass").statusCode())
			.as("the right password, but within the delay after 3 failures").isEqualTo(401);

		String superAdmin = this.admin.token("lockout-super", "lockout-super-test-pass");
		String userId = subjectOf("guarded", "lockout-1", superAdmin);
		JsonNode delayed = lock("guarded", userId, superAdmin);
		assertThat(delayed.get("failures").asInt()).isEqualTo(3);
		assertThat(delayed.get("locked").asBoolean()).isFalse();
		Instant delayedUntil = Instant.parse(delayed.get("delayedUntil").asString());
		assertThat(delayedUntil).isBetween(Instant.now(), Instant.now().plusSeconds(3));

		waitUntil(delayedUntil);
		assertThat(login("guarded", "lockout-1", "wrong-4").statusCode()).isEqualTo(401);
		JsonNode locked = lock("guarded", userId, superAdmin);
		assertThat(locked.get("failures").asInt()).isEqualTo(4);
		assertThat(locked.get("locked").asBoolean()).isTrue();
		assertThat(Instant.parse(locked.get("lockedUntil").asString()))
			.isBetween(Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plus(Duration.ofMinutes(16)));

		waitUntil(Instant.parse(locked.get("delayedUntil").asString()));
		assertThat(login("guarded", "lockout-1", "lockout-1-test-pass").statusCode())
			.as("the right password while locked").isEqualTo(401);

		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		assertThat(this.admin.delete(lockPath("guarded", userId), helpdesk).statusCode()).isEqualTo(204);
		assertThat(lock("guarded", userId, helpdesk).get("failures").asInt()).isZero();
		assertThat(login("guarded", "lockout-1", "lockout-1-test-pass").statusCode())
			.as("the right password once the lock is cleared").isEqualTo(302);

		List<JsonNode> events = events("guarded", userId, superAdmin);
		assertThat(events).extracting((event) -> event.get("type").asString() + " "
				+ event.get("details").path("reason").asString(""))
			.containsSubsequence("LOGIN_FAILED bad_password", "LOGIN_FAILED bad_password",
					"LOGIN_FAILED bad_password", "LOGIN_FAILED delayed", "LOGIN_FAILED bad_password",
					"ACCOUNT_LOCKED ", "LOGIN_FAILED locked", "ACCOUNT_UNLOCKED administrator", "ADMIN_CHANGE ");
		JsonNode unlocked = events.stream()
			.filter((event) -> event.get("type").asString().equals("ACCOUNT_UNLOCKED"))
			.findFirst()
			.orElseThrow();
		String helpdeskSubject = this.admin.login("staff", "lockout-helpdesk", "lockout-helpdesk-test-pass")
			.getOIDCTokens()
			.getIDToken()
			.getJWTClaimsSet()
			.getSubject();
		assertThat(unlocked.get("details").get("actor").asString()).isEqualTo(helpdeskSubject);
		JsonNode change = events.stream()
			.filter((event) -> event.get("type").asString().equals("ADMIN_CHANGE"))
			.findFirst()
			.orElseThrow();
		assertThat(change.get("details").get("action").asString()).isEqualTo("clear-lock");
		assertThat(change.get("details").get("actor").asString()).isEqualTo(helpdeskSubject);
		assertThat(change.get("clientId").asString()).isEqualTo(AdminApi.CLIENT_ID);
	}

	@Test
	void loginWhenUnknownUserWrongPasswordOrLockedThenSameAnswerInComparableTime() {
		lockAccount("guarded", "lockout-timing-locked");
		List<Long> unknown = new ArrayList<>();
		List<Long> wrongPassword = new ArrayList<>();
		List<Long> locked = new ArrayList<>();
		List<Long> noHash = new ArrayList<>();
		List<HttpResponse<String>> answers = new ArrayList<>();
		for (int round = 0; round < 9; round++) {
			// an empty password is refused before any account is looked at: the cost of the request alone
			assertThat(timed(noHash, "guarded", "lockout-timing-wrong", "").statusCode()).isEqualTo(400);
			answers.add(timed(unknown, "guarded", "lockout-nobody", "some-password"));
			answers.add(timed(wrongPassword, "guarded", "lockout-timing-wrong", "not-the-password"));
			answers.add(timed(locked, "guarded", "lockout-timing-locked", "lockout-timing-locked-test-pass"));
			// a success forgets the failures, so every sample is a checked wrong password, never a delay
			assertThat(login("guarded", "lockout-timing-wrong", "lockout-timing-wrong-test-pass").statusCode())
				.isEqualTo(302);
		}
		for (HttpResponse<String> answer : answers) {
			assertThat(answer.statusCode()).isEqualTo(401);
			assertThat(text(answer)).isEqualTo(text(answers.get(0))).contains(INCORRECT);
		}
		// Beyond the cost of the request itself, each answer spends one Argon2id hash (tens of
		// milliseconds); without the decoy, the unknown and locked answers would spend next
		// to nothing. Loose bounds: a busy machine must not fail this, a missing hash must.
		long request = median(noHash);
		long hash = median(wrongPassword) - request;
		String samples = "request alone " + noHash + ", wrong password " + wrongPassword + ", unknown user " + unknown
				+ ", locked " + locked + " (ms)";
		assertThat(median(unknown) - request).as(samples).isBetween(hash / 2, hash * 3 + 20);
		assertThat(median(locked) - request).as(samples).isBetween(hash / 2, hash * 3 + 20);
	}

	@Test
	void loginWhenAddressExceedsLimitThenRefusedEvenWithRightPasswordAndSuccessesDoNotCount() throws Exception {
		for (int success = 0; success < 6; success++) {
			assertThat(login("throttled", "throttle-2", "throttle-2-test-pass").statusCode())
				.as("successful logins do not use up the limit").isEqualTo(302);
		}
		for (int attempt = 1; attempt <= 5; attempt++) {
			assertThat(login("throttled", "throttle-1", "wrong-" + attempt).statusCode()).isEqualTo(401);
		}
		HttpResponse<String> throttled = login("throttled", "throttle-2", "throttle-2-test-pass");
		assertThat(throttled.statusCode()).as("the 6th attempt this minute, another account, right password")
			.isEqualTo(401);
		assertThat(text(throttled)).contains(INCORRECT);

		String superAdmin = this.admin.token("lockout-super", "lockout-super-test-pass");
		JsonNode events = AdminApi
			.json(this.admin.get("/admin/api/realms/throttled/audit-events?type=LOGIN_FAILED&limit=1", superAdmin));
		JsonNode newest = events.get("events").get(0);
		assertThat(newest.get("username").asString()).isEqualTo("throttle-2");
		assertThat(newest.get("ipAddress").asString()).isEqualTo("127.0.0.1");
		assertThat(newest.get("details").get("reason").asString()).isEqualTo("throttled_ip");
	}

	@Test
	void loginWhenUsernameHoldsNulThenSameAnswerAsAnyUnknownUser() {
		HttpResponse<String> response = login("guarded", "lockout-1\0", "lockout-1-test-pass");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(text(response)).contains(INCORRECT);
	}

	@Test
	void purgeWhenCountersStillMatterThenKept() {
		assertThat(login("guarded", "lockout-view", "wrong").statusCode()).isEqualTo(401);
		String superAdmin = this.admin.token("lockout-super", "lockout-super-test-pass");
		String userId = subjectOf("guarded", "lockout-view", superAdmin);
		int failures = lock("guarded", userId, superAdmin).get("failures").asInt();
		assertThat(failures).isPositive();
		assertThat(this.purge.purge()).isGreaterThanOrEqualTo(0);
		assertThat(lock("guarded", userId, superAdmin).get("failures").asInt()).isEqualTo(failures);
	}

	private HttpResponse<String> login(String realm, String username, String password) {
		Browserless browser = browser().language("en");
		return browser.submitLogin(uri("/realms/" + realm + "/login"), username, password);
	}

	/** Posts the login form and adds how long the answer took (the post alone, not the page before it). */
	private HttpResponse<String> timed(List<Long> samples, String realm, String username, String password) {
		Browserless browser = browser().language("en");
		Browserless.FilledForm form = browser.fillLogin(uri("/realms/" + realm + "/login"), username, password);
		long start = System.nanoTime();
		HttpResponse<String> response = browser.post(form.action(), form.fields());
		samples.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
		return response;
	}

	/** Fails until the account is locked, waiting out the delays on the way. */
	private void lockAccount(String realm, String username) {
		String superAdmin = this.admin.token("lockout-super", "lockout-super-test-pass");
		assertThat(login(realm, username, "wrong-0").statusCode()).isEqualTo(401);
		String userId = subjectOf(realm, username, superAdmin);
		JsonNode status = lock(realm, userId, superAdmin);
		while (!status.get("locked").asBoolean()) {
			if (status.hasNonNull("delayedUntil")) {
				waitUntil(Instant.parse(status.get("delayedUntil").asString()));
			}
			assertThat(login(realm, username, "wrong").statusCode()).isEqualTo(401);
			status = lock(realm, userId, superAdmin);
		}
	}

	private JsonNode lock(String realm, String userId, String token) {
		HttpResponse<String> response = this.admin.get(lockPath(realm, userId), token);
		assertThat(response.statusCode()).as(response::body).isEqualTo(200);
		return AdminApi.json(response);
	}

	private static String lockPath(String realm, String userId) {
		return "/admin/api/realms/" + realm + "/users/" + userId + "/lock";
	}

	/** An account's id, found as a help desk would today: in the audit trail of its failures. */
	private String subjectOf(String realm, String username, String token) {
		JsonNode events = AdminApi
			.json(this.admin.get("/admin/api/realms/" + realm + "/audit-events?type=LOGIN_FAILED&limit=500", token));
		return StreamSupport.stream(events.get("events").spliterator(), false)
			.filter((event) -> username.equals(event.get("username").asString()) && event.hasNonNull("subject"))
			.map((event) -> event.get("subject").asString())
			.findFirst()
			.orElseThrow(() -> new AssertionError("No failed login of " + username + " in " + events));
	}

	/** The account's events, oldest first. */
	private List<JsonNode> events(String realm, String userId, String token) {
		JsonNode events = AdminApi
			.json(this.admin.get("/admin/api/realms/" + realm + "/audit-events?subject=" + userId, token));
		List<JsonNode> oldestFirst = new ArrayList<>();
		events.get("events").forEach((event) -> oldestFirst.add(0, event));
		return oldestFirst;
	}

	private static String text(HttpResponse<String> response) {
		// what the person sees; the form's hidden CSRF token differs per answer
		return Jsoup.parse(response.body()).body().text();
	}

	private static long median(List<Long> samples) {
		List<Long> sorted = samples.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	private static void waitUntil(Instant instant) {
		long millis = Duration.between(Instant.now(), instant).toMillis() + 50;
		if (millis > 0) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
