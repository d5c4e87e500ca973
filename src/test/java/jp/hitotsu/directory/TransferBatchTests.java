package jp.hitotsu.directory;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.support.Accounts;
import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.Browserless;
import jp.hitotsu.support.DirectoryAdmin;
import jp.hitotsu.support.OidcClient;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static jp.hitotsu.directory.DirectoryClaimsTests.claims;
import static jp.hitotsu.directory.DirectoryClaimsTests.login;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 1 April problem through the admin API: a transfer file is checked whole, shown as a
 * diff, scheduled, applied by the background job (movers' next tokens show their new
 * posts, leavers lose their grants), or cancelled before it applies.
 */
class TransferBatchTests extends ServerTest {

	private static final String TRANSFERS = "/admin/api/realms/staff/transfers";

	private static final String HEADER = "action,employee_number,primary_unit,post,concurrent_posts,effective_date,"
			+ "username,family_name,given_name\r\n";

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TransferJob job;

	@Autowired
	private AuditTrail audit;

	private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

	private static LocalDate today() {
		return LocalDate.now(TOKYO);
	}

	@Test
	void uploadWhenLinesAreBadThenEveryBadLineIsReportedAndNothingIsKept() {
		String hr = hrToken();
		unit(hr, "T1-SEC");
		int before = batches();
		String csv = HEADER //
				+ "transfer,T1-NOBODY,T1-SEC,,," + today() + ",,,\r\n" // line 2: unknown employee
				+ "join,T1-NEW1,T1-NOWHERE,,," + today() + ",t1-new1,新,一\r\n" // line 3: unknown unit
				+ "join,T1-NEW2,T1-SEC,,," + today().minusDays(1) + ",t1-new2,新,二\r\n" // line 4: past date
				+ "join,T1-NEW2,T1-SEC,,," + today() + ",t1-new3,新,三\r\n" // line 5: duplicate employee
				+ "promote,T1-NEW4,T1-SEC,,," + today() + ",,,\r\n" // line 6: unknown action
				+ "join,T1-NEW5,T1-SEC,,,not-a-date,t1-new5,新,五\r\n" // line 7: not a date
				+ "join,T1-NEW6,T1-SEC,,\r\n"; // line 8: too few fields
		HttpResponse<String> response = upload(hr, csv.getBytes(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode errors = AdminApi.json(response).get("errors");
		assertThat(errors.findValues("line").stream().map(JsonNode::asInt).distinct())
			.containsExactly(2, 3, 4, 5, 6, 7, 8);
		assertThat(errors.toString()).contains("T1-NOBODY", "T1-NOWHERE", "line 4", "promote", "not-a-date");
		assertThat(batches()).as("nothing kept").isEqualTo(before);

		HttpResponse<String> notUtf8 = upload(hr, new byte[] { 'a', ',', (byte) 0xff, '\n' });
		assertThat(notUtf8.statusCode()).isEqualTo(400);
		assertThat(AdminApi.json(notUtf8).get("errors").get(0).get("line").asInt()).isEqualTo(1);
	}

	@Test
	void batchWhenScheduledForTodayThenAppliesMovesJoinersAndLeavers() throws Exception {
		String hr = hrToken();
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		directory.unit("T2-A", "section", "第一課", null);
		directory.unit("T2-B", "section", "第二課", null);
		directory.unit("T2-C", "section", "第三課", null);
		directory.rule("directory-app", "ledger-approver", "\"unit\": \"T2-B\"");
		String mover = Accounts.subjectOf(this.jdbc, "staff", "dir-mover");
		String leaver = Accounts.subjectOf(this.jdbc, "staff", "dir-leaver");
		directory.staff(mover, "T2-0001");
		directory.staff(leaver, "T2-0002");
		// held well before the batch's time (today 00:00 in Tokyo), for the diff's "before"
		directory.assign(leaver, "T2-A", "primary", null, Instant.now().minus(Duration.ofDays(2)), null);

		OidcClient app = client("staff", "directory-app", "directory-app-secret-0123456789");
		OIDCTokenResponse leaverTokens = login(app, "dir-leaver", "dir-leaver-test-pass-0001");
		assertThat(claims(app, leaverTokens).getStringClaim("org")).isEqualTo("T2-A");

		// UTF-8 with a byte order mark, CRLF line ends, a quoted field
		String csv = "\uFEFF" + HEADER //
				+ "transfer,T2-0001,T2-B,主査,\"T2-C:兼務担当\"," + today() + ",,,\r\n" //
				+ "leave,T2-0002,,,," + today() + ",,,\r\n" //
				+ "join,T2-0003,T2-C,,," + today() + ",dir-joiner,新井,一郎\r\n";
		HttpResponse<String> uploaded = upload(hr, csv.getBytes(StandardCharsets.UTF_8));
		assertThat(uploaded.statusCode()).as(uploaded::body).isEqualTo(201);
		JsonNode batch = AdminApi.json(uploaded);
		assertThat(batch.get("status").asString()).isEqualTo("validated");
		assertThat(batch.get("rows").asInt()).isEqualTo(3);
		String id = batch.get("id").asString();

		JsonNode diff = AdminApi.json(this.admin.get(TRANSFERS + "/" + id + "/diff", hr));
		JsonNode move = diff.get("changes").get(0);
		assertThat(move.get("line").asInt()).isEqualTo(2);
		assertThat(move.get("after").get("org").asString()).isEqualTo("T2-B");
		assertThat(move.get("after").get("orgs").toString()).contains("T2-B", "T2-C");
		assertThat(move.get("gainedRoles").toString()).contains("directory-app", "ledger-approver");
		JsonNode leave = diff.get("changes").get(1);
		assertThat(leave.get("before").get("org").asString()).isEqualTo("T2-A");
		assertThat(leave.get("after").get("orgs").isEmpty()).isTrue();

		HttpResponse<String> scheduled = this.admin.post(TRANSFERS + "/" + id + "/schedule", hr);
		assertThat(scheduled.statusCode()).as(scheduled::body).isEqualTo(200);
		this.job.applyDue();
		JsonNode applied = AdminApi.json(this.admin.get(TRANSFERS + "/" + id, hr));
		assertThat(applied.get("status").asString()).isEqualTo("applied");

		JWTClaimsSet moved = claims(app, login(app, "dir-mover", "dir-mover-test-pass-0001"));
		assertThat(moved.getStringClaim("org")).isEqualTo("T2-B");
		assertThat(moved.getStringListClaim("orgs")).containsExactly("T2-B", "T2-C");
		assertThat(moved.getStringListClaim("roles")).contains("ledger-approver");

		RefreshToken leaverRefresh = leaverTokens.getOIDCTokens().getRefreshToken();
		TokenResponse refused = app.refresh(leaverRefresh);
		assertThat(refused.indicatesSuccess()).as("a leaver's refresh token dies").isFalse();
		assertThat(refused.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
		assertThat(app.introspect(leaverTokens.getOIDCTokens().getAccessToken()).toSuccessResponse().isActive())
			.isFalse();
		assertThat(this.jdbc.sql("select enabled from account where id = cast(:id as uuid)")
			.param("id", leaver)
			.query(Boolean.class)
			.single()).isFalse();
		assertThat(this.jdbc.sql("""
				select s.employee_number from staff s join account a on a.id = s.account_id
				where a.realm = 'staff' and a.username = 'dir-joiner'
				""").query(String.class).single()).isEqualTo("T2-0003");
		// the joiner: enabled, no password yet, its post from the batch's time, audited like any account made
		Map<String, Object> joiner = this.jdbc.sql("""
				select a.id::text as id, a.enabled, a.password_hash, a.display_name, p.valid_from
				from account a join assignment p on p.account_id = a.id and p.kind = 'primary'
				where a.realm = 'staff' and a.username = 'dir-joiner'
				""").query().singleRow();
		assertThat(joiner.get("enabled")).isEqualTo(true);
		assertThat(joiner.get("password_hash")).isNull();
		assertThat(joiner.get("display_name")).isEqualTo("新井 一郎");
		assertThat(((java.sql.Timestamp) joiner.get("valid_from")).toInstant().toString())
			.isEqualTo(applied.get("effectiveAt").asString());
		String joinerId = (String) joiner.get("id");
		assertThat(this.audit.newest("staff", AuditEventType.ACCOUNT_CREATED, joinerId, 5)).singleElement()
			.satisfies((event) -> {
				assertThat(event.event().username()).isEqualTo("dir-joiner");
				assertThat(event.event().details()).containsEntry("reason", "joined (transfer batch " + id + ")");
			});
		assertThat(this.audit.newest("staff", AuditEventType.TRANSFER_APPLIED, joinerId, 5)).singleElement()
			.satisfies((event) -> assertThat(event.event().details()).containsEntry("action", "join")
				.containsEntry("employeeNumber", "T2-0003")
				.containsEntry("line", 4));
		assertThat(this.audit.newest("staff", AuditEventType.TRANSFER_APPLIED, leaver, 5)).singleElement()
			.satisfies((event) -> assertThat(event.event().details()).containsEntry("action", "leave"));
	}

	@Test
	void batchWhenCancelledBeforeItsDateThenNeverApplies() {
		String hr = hrToken();
		unit(hr, "T3-SEC");
		String csv = HEADER + "join,T3-0001,T3-SEC,,," + today().plusDays(1) + ",dir-t3-joiner,三,太郎\n";
		JsonNode batch = AdminApi.json(upload(hr, csv.getBytes(StandardCharsets.UTF_8)));
		String id = batch.get("id").asString();
		assertThat(AdminApi.json(this.admin.post(TRANSFERS + "/" + id + "/schedule", hr)).get("status").asString())
			.isEqualTo("scheduled");
		assertThat(AdminApi.json(this.admin.post(TRANSFERS + "/" + id + "/cancel", hr)).get("status").asString())
			.isEqualTo("cancelled");
		HttpResponse<String> again = this.admin.post(TRANSFERS + "/" + id + "/cancel", hr);
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(AdminApi.json(again).get("type").asString()).isEqualTo("urn:hitotsu:problem:transfer-batch-state");
		assertThat(this.admin.get(TRANSFERS + "/00000000-0000-0000-0000-000000000000", hr).statusCode())
			.isEqualTo(404);

		// the list finds it among the cancelled batches, and refuses a status that does not exist
		JsonNode cancelled = AdminApi.json(this.admin.get(TRANSFERS + "?status=cancelled", hr));
		assertThat(cancelled.findValuesAsString("id")).contains(id);
		assertThat(cancelled.findValuesAsString("status")).containsOnly("cancelled");
		assertThat(AdminApi.json(this.admin.get(TRANSFERS + "?status=scheduled", hr)).findValuesAsString("id"))
			.doesNotContain(id);
		assertThat(AdminApi.json(this.admin.get(TRANSFERS + "?limit=1", hr))).hasSize(1);
		JsonNode unknown = AdminApi.assertProblem(this.admin.get(TRANSFERS + "?status=done", hr), 400,
				"urn:hitotsu:problem:invalid-request");
		assertThat(unknown.toString()).contains("status", "done");
	}

	@Test
	void uploadWhenAUnitIsNotOpenOnTheEffectiveDateThenTheLineIsRefused() {
		String hr = hrToken();
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		directory.unit("T4-CLOSING", "section", "廃止予定課", null);
		DirectoryAdmin.ok(this.admin.postJson("/admin/api/realms/staff/directory/units/T4-CLOSING/close", hr,
				"{\"effectiveAt\": \"%s\"}".formatted(today().plusDays(1).atStartOfDay(TOKYO).toOffsetDateTime())));
		DirectoryAdmin.ok(this.admin.putJson("/admin/api/realms/staff/directory/units/T4-OPENING", hr,
				"{\"kind\": \"section\", \"nameJa\": \"新設課\", \"validFrom\": \"%s\"}"
					.formatted(today().plusDays(2).atStartOfDay(TOKYO).toOffsetDateTime())));
		LocalDate date = today().plusDays(2);

		HttpResponse<String> closed = upload(hr, (HEADER + "join,T4-0001,T4-CLOSING,,," + date
				+ ",dir-t4-first,四,一\r\n").getBytes(StandardCharsets.UTF_8));
		assertThat(closed.statusCode()).isEqualTo(400);
		JsonNode error = AdminApi.json(closed).get("errors").get(0);
		assertThat(error.get("line").asInt()).isEqualTo(2);
		assertThat(error.get("field").asString()).isEqualTo("primary_unit");
		assertThat(error.get("message").asString()).contains("T4-CLOSING", date.toString());

		HttpResponse<String> opening = upload(hr, (HEADER + "join,T4-0002,T4-OPENING,,," + date
				+ ",dir-t4-second,四,二\r\n").getBytes(StandardCharsets.UTF_8));
		assertThat(opening.statusCode()).as("a unit that opens by the date is fine").isEqualTo(201);
		HttpResponse<String> early = upload(hr, (HEADER + "join,T4-0003,T4-OPENING,,," + today().plusDays(1)
				+ ",dir-t4-third,四,三\r\n").getBytes(StandardCharsets.UTF_8));
		assertThat(early.statusCode()).as("but not before it opens").isEqualTo(400);
	}

	@Test
	void diffWhenPostsArePlannedBeforeTheEffectiveDateThenItComparesWithThePostsThen() {
		String hr = hrToken();
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		directory.unit("T5-NOW", "section", "現課", null);
		directory.unit("T5-PLANNED", "section", "予定課", null);
		directory.unit("T5-BATCH", "section", "異動先課", null);
		directory.rule("directory-app", "ledger-approver", "\"unit\": \"T5-PLANNED\"");
		String planned = Accounts.subjectOf(this.jdbc, "staff", "dir-planned");
		directory.staff(planned, "T5-0001");
		Instant tomorrow = today().plusDays(1).atStartOfDay(TOKYO).toInstant();
		directory.assign(planned, "T5-NOW", "primary", null, null, tomorrow);
		directory.assign(planned, "T5-PLANNED", "primary", null, tomorrow, null);
		String csv = HEADER + "transfer,T5-0001,T5-BATCH,,," + today().plusDays(2) + ",,,\n";
		String id = AdminApi.json(upload(hr, csv.getBytes(StandardCharsets.UTF_8))).get("id").asString();

		JsonNode change = AdminApi.json(this.admin.get(TRANSFERS + "/" + id + "/diff", hr)).get("changes").get(0);
		assertThat(change.get("before").get("org").asString()).isEqualTo("T5-PLANNED");
		assertThat(change.get("after").get("org").asString()).isEqualTo("T5-BATCH");
		assertThat(change.get("lostRoles").toString()).contains("ledger-approver");
	}

	@Test
	void reverseWhenBatchAppliedThenMoversReturnLeaversComeBackAndJoinersLeave() throws Exception {
		String hr = hrToken();
		DirectoryAdmin directory = new DirectoryAdmin(this.admin, hr);
		directory.unit("T6-A", "section", "元課", null);
		directory.unit("T6-B", "section", "先課", null);
		String mover = Accounts.subjectOf(this.jdbc, "staff", "dir-rev-mover");
		String leaver = Accounts.subjectOf(this.jdbc, "staff", "dir-rev-leaver");
		directory.staff(mover, "T6-0001");
		directory.staff(leaver, "T6-0002");
		// well before the batch's time (today 00:00 in Tokyo), whenever the test runs
		Instant earlier = Instant.now().minus(Duration.ofDays(2));
		directory.assign(mover, "T6-A", "primary", "主任", earlier, null);
		directory.assign(leaver, "T6-A", "primary", null, earlier, null);
		OidcClient app = client("staff", "directory-app", "directory-app-secret-0123456789");
		Browserless leaverBrowser = browser();
		OidcClient.Authorization first = app.authorization(DirectoryClaimsTests.APP_CALLBACK, "openid organization");
		app.exchange(leaverBrowser.authorize(first.uri(), "dir-rev-leaver", "dir-rev-leaver-test-pass-0001"), first);

		String csv = HEADER + "transfer,T6-0001,T6-B,,," + today() + ",,,\n" //
				+ "leave,T6-0002,,,," + today() + ",,,\n" //
				+ "join,T6-0003,T6-B,,," + today() + ",dir-rev-joiner,六,三\n";
		String id = AdminApi.json(upload(hr, csv.getBytes(StandardCharsets.UTF_8))).get("id").asString();
		assertThat(this.admin.post(TRANSFERS + "/" + id + "/reverse", hr).statusCode())
			.as("only an applied batch can be reversed").isEqualTo(409);
		DirectoryAdmin.ok(this.admin.post(TRANSFERS + "/" + id + "/schedule", hr));
		this.job.applyDue();
		assertThat(AdminApi.json(this.admin.get(TRANSFERS + "/" + id, hr)).get("status").asString())
			.isEqualTo("applied");

		// the leaver's browser session no longer carries a login: the next request goes to the login page
		HttpResponse<String> again = leaverBrowser
			.get(app.authorization(DirectoryClaimsTests.APP_CALLBACK, "openid organization").uri());
		assertThat(again.statusCode()).isEqualTo(302);
		assertThat(Browserless.location(again).getPath()).isEqualTo("/realms/staff/login");
		assertThat(claims(app, login(app, "dir-rev-mover", "dir-rev-mover-test-pass-0001")).getStringClaim("org"))
			.isEqualTo("T6-B");

		HttpResponse<String> reversed = this.admin.post(TRANSFERS + "/" + id + "/reverse", hr);
		assertThat(reversed.statusCode()).as(reversed::body).isEqualTo(201);
		JsonNode reverse = AdminApi.json(reversed);
		assertThat(reverse.get("reverses").asString()).isEqualTo(id);
		assertThat(reverse.get("status").asString()).isEqualTo("validated");
		String reverseId = reverse.get("id").asString();
		JsonNode changes = AdminApi.json(this.admin.get(TRANSFERS + "/" + reverseId + "/diff", hr)).get("changes");
		assertThat(changes.findValuesAsString("action")).containsExactly("RESTORE", "RESTORE", "LEAVE");
		assertThat(changes.get(0).get("before").get("org").asString()).isEqualTo("T6-B");
		assertThat(changes.get(0).get("after").get("org").asString()).isEqualTo("T6-A");
		assertThat(changes.get(1).get("after").get("org").asString()).isEqualTo("T6-A");
		assertThat(this.admin.post(TRANSFERS + "/" + id + "/reverse", hr).statusCode())
			.as("one reverse per batch").isEqualTo(409);

		DirectoryAdmin.ok(this.admin.post(TRANSFERS + "/" + reverseId + "/schedule", hr));
		this.job.applyDue();
		assertThat(AdminApi.json(this.admin.get(TRANSFERS + "/" + reverseId, hr)).get("status").asString())
			.isEqualTo("applied");
		assertThat(claims(app, login(app, "dir-rev-mover", "dir-rev-mover-test-pass-0001")).getStringClaim("org"))
			.isEqualTo("T6-A");
		assertThat(claims(app, login(app, "dir-rev-leaver", "dir-rev-leaver-test-pass-0001")).getStringClaim("org"))
			.as("the leaver is back, in the old post").isEqualTo("T6-A");
		assertThat(enabled("dir-rev-joiner")).as("the joiner leaves").isFalse();
	}

	private boolean enabled(String username) {
		return this.jdbc.sql("select enabled from account where realm = 'staff' and username = :username")
			.param("username", username)
			.query(Boolean.class)
			.single();
	}

	private String hrToken() {
		return this.admin.token("dir-hr", "dir-hr-test-pass-0001");
	}

	private void unit(String hr, String code) {
		new DirectoryAdmin(this.admin, hr).unit(code, "section", "試験課", null);
	}

	private HttpResponse<String> upload(String hr, byte[] csv) {
		return this.admin.post(TRANSFERS, hr, "text/csv", csv);
	}

	private int batches() {
		return this.jdbc.sql("select count(*) from transfer_batch").query(Integer.class).single();
	}

}
