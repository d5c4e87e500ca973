package jp.hitotsu.audit;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.AuditChains;
import jp.hitotsu.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hash chain over HTTP: the verifier names the link a change or a deletion made in the
 * database breaks, a signed checkpoint shows a deleted tail, retention deletes whole old
 * segments and the chain still verifies. Each test repairs what it tampered with; the
 * realms are used by these tests only.
 */
class AuditChainTests extends ServerTest {

	private static final String REALM = "audit-chain";

	private static final String VERIFY = "/admin/api/realms/" + REALM + "/audit-events/verification";

	private final AdminApi admin = new AdminApi(this);

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private AuditTrail audit;

	@Autowired
	private AuditChain chain;

	@Autowired
	private AuditRetention retention;

	@Test
	void verificationWhenARowIsChangedThenNamesThatLinkAndWhenRestoredThenIntact() {
		String token = superAdmin();
		long position = sealedEvents(5) - 2;
		Map<String, Object> row = row(position);
		String original = (String) row.get("details");

		this.jdbc.sql("update audit_event set details = cast(:d as jsonb) where id = :id")
			.param("d", "{\"action\": \"nothing to see\"}")
			.param("id", row.get("id"))
			.update();
		try {
			JsonNode broken = verify(token, VERIFY);
			assertThat(broken.get("intact").asBoolean()).isFalse();
			assertThat(broken.get("firstBrokenLink").get("position").asLong()).isEqualTo(position);
			assertThat(broken.get("firstBrokenLink").get("eventId").asLong()).isEqualTo(row.get("id"));
			assertThat(broken.get("firstBrokenLink").get("problem").asString()).isEqualTo("changed");
		}
		finally {
			this.jdbc.sql("update audit_event set details = cast(:d as jsonb) where id = :id")
				.param("d", original)
				.param("id", row.get("id"))
				.update();
		}
		assertThat(verify(token, VERIFY).get("intact").asBoolean()).isTrue();
	}

	@Test
	void verificationWhenAnAccountsEventsArePseudonymisedThenIntactAndReportedErased() {
		String token = superAdmin();
		String subject = UUID.randomUUID().toString();
		for (int i = 0; i < 3; i++) {
			this.audit.record(AuditEvent.of(REALM, AuditEventType.LOGIN)
				.subject(subject)
				.username("erased-" + subject)
				.ipAddress("192.0.2.9")
				.userAgent("Test agent")
				.session("sid-" + i)
				.detail("method", "password")
				.build());
		}
		long last = sealedEvents(1) - 1;
		String pseudonym = "pseudonym:" + subject.replace("-", "");
		assertThat(this.audit.pseudonymise(REALM, subject, "erased-" + subject, pseudonym)).isEqualTo(3);

		JsonNode verified = verify(token, VERIFY);
		assertThat(verified.get("intact").asBoolean()).as(verified::toString).isTrue();
		assertThat(verified.get("personalDataErased").asLong()).isGreaterThanOrEqualTo(3);
		List<Long> erasedPositions = new ArrayList<>();
		for (JsonNode link : verified.get("erased")) {
			if (pseudonym.equals(link.get("pseudonym").asString())) {
				erasedPositions.add(link.get("position").asLong());
			}
		}
		assertThat(erasedPositions).containsExactly(last - 2, last - 1, last);
		// the command prints what the endpoint answers: the same verification, in lines
		AuditChain.Verification direct = this.chain.verify(REALM, null);
		assertThat(direct.intact()).isTrue();
		assertThat(direct.personalDataErased()).isEqualTo(verified.get("personalDataErased").asLong());
		List<String> printed = AuditCommand.report(direct);
		assertThat(printed).last().isEqualTo("intact");
		assertThat(printed).anySatisfy((line) -> assertThat(line).startsWith("personal data erased")
			.contains("position " + last + " (event " + row(last).get("id") + ", " + pseudonym + ")"));
	}

	@Test
	void verificationWhenAnErasedRowIsChangedThenStillBroken() {
		String token = superAdmin();
		String subject = UUID.randomUUID().toString();
		this.audit.record(AuditEvent.of(REALM, AuditEventType.LOGIN).subject(subject).username("gone").build());
		long position = sealedEvents(1) - 1;
		this.audit.pseudonymise(REALM, subject, "gone", "pseudonym:" + subject.replace("-", ""));
		Map<String, Object> row = row(position);
		for (String change : List.of("type = 'LOGIN_FAILED'", "occurred_at = occurred_at + interval '1 second'",
				"outcome = 'failure'", "client_id = 'someone'", "personal_digest = sha256(personal_digest)",
				"details = '{\"pseudonymised\": true, \"note\": 1}'::jsonb", "chain_version = null")) {
			this.jdbc.sql("update audit_event set " + change + " where id = :id").param("id", row.get("id")).update();
			try {
				JsonNode broken = verify(token, VERIFY);
				assertThat(broken.get("intact").asBoolean()).as(change).isFalse();
				assertThat(broken.get("firstBrokenLink").get("position").asLong()).as(change).isEqualTo(position);
				assertThat(broken.get("firstBrokenLink").get("problem").asString()).as(change).isEqualTo("changed");
				assertThat(AuditCommand.report(this.chain.verify(REALM, null))).last()
					.asString()
					.startsWith("BROKEN at position " + position + " (changed)");
			}
			finally {
				this.jdbc.sql("delete from audit_event where id = :id").param("id", row.get("id")).update();
				restore(row);
			}
		}
		// moved to a realm no event of which can hold that position
		this.jdbc.sql("update audit_event set realm = 'audit-chain-elsewhere' where id = :id")
			.param("id", row.get("id"))
			.update();
		try {
			JsonNode moved = verify(token, VERIFY);
			assertThat(moved.get("firstBrokenLink").get("position").asLong()).isEqualTo(position);
			assertThat(moved.get("firstBrokenLink").get("problem").asString()).isEqualTo("missing");
		}
		finally {
			this.jdbc.sql("update audit_event set realm = :realm where id = :id")
				.param("realm", REALM)
				.param("id", row.get("id"))
				.update();
		}
		assertThat(verify(token, VERIFY).get("intact").asBoolean()).isTrue();
	}

	@Test
	void verificationWhenARowIsDeletedThenNamesTheGapAndWhenTwoAreSwappedThenTheFirst() {
		String token = superAdmin();
		long position = sealedEvents(4) - 1;
		Map<String, Object> row = row(position);
		this.jdbc.sql("delete from audit_event where id = :id").param("id", row.get("id")).update();
		try {
			JsonNode broken = verify(token, VERIFY);
			assertThat(broken.get("intact").asBoolean()).isFalse();
			assertThat(broken.get("firstBrokenLink").get("position").asLong()).isEqualTo(position);
			assertThat(broken.get("firstBrokenLink").get("problem").asString()).isEqualTo("missing");
			assertThat(broken.get("firstBrokenLink").get("message").asString()).contains("position " + position);
		}
		finally {
			restore(row);
		}
		assertThat(verify(token, VERIFY).get("intact").asBoolean()).isTrue();

		swap(position - 1, position);
		try {
			JsonNode reordered = verify(token, VERIFY);
			assertThat(reordered.get("firstBrokenLink").get("position").asLong()).isEqualTo(position - 1);
			assertThat(reordered.get("firstBrokenLink").get("problem").asString()).isEqualTo("changed");
		}
		finally {
			swap(position - 1, position);
		}
		assertThat(verify(token, VERIFY).get("intact").asBoolean()).isTrue();
	}

	@Test
	void checkpointWhenTheTailIsDeletedWithItsHeadThenTheVerifierGivenItSaysSo() {
		String token = superAdmin();
		long last = sealedEvents(3);
		HttpResponse<String> exported = this.admin.post("/admin/api/realms/" + REALM + "/audit-events/checkpoints",
				token);
		assertThat(exported.statusCode()).as(exported::body).isEqualTo(201);
		JsonNode checkpoint = AdminApi.json(exported);
		assertThat(checkpoint.get("head").get("position").asLong()).isEqualTo(last);
		String withCheckpoint = VERIFY + "?checkpoint="
				+ URLEncoder.encode(checkpoint.get("checkpoint").asString(), StandardCharsets.UTF_8);
		assertThat(verify(token, withCheckpoint).get("intact").asBoolean()).isTrue();

		// an intruder deletes the newest event and moves the recorded head back over its traces
		Map<String, Object> tail = row(last);
		Map<String, Object> previous = row(last - 1);
		Map<String, Object> head = this.jdbc.sql("select * from audit_chain_head where realm = :realm")
			.param("realm", REALM)
			.query()
			.singleRow();
		this.jdbc.sql("delete from audit_event where id = :id").param("id", tail.get("id")).update();
		this.jdbc.sql("update audit_chain_head set chain_position = :p, hash = :h where realm = :realm")
			.param("p", last - 1)
			.param("h", previous.get("hash"))
			.param("realm", REALM)
			.update();
		try {
			assertThat(verify(token, VERIFY).get("intact").asBoolean()).as("without a checkpoint it cannot show")
				.isTrue();
			JsonNode broken = verify(token, withCheckpoint);
			assertThat(broken.get("intact").asBoolean()).isFalse();
			assertThat(broken.get("firstBrokenLink").get("position").asLong()).isEqualTo(last);
			assertThat(broken.get("firstBrokenLink").get("message").asString()).contains("deleted");
		}
		finally {
			restore(tail);
			this.jdbc.sql("update audit_chain_head set chain_position = :p, hash = :h where realm = :realm")
				.param("p", head.get("chain_position"))
				.param("h", head.get("hash"))
				.param("realm", REALM)
				.update();
		}
		assertThat(verify(token, withCheckpoint).get("intact").asBoolean()).isTrue();

		// a checkpoint of another realm is refused, naming the realm
		JsonNode other = AdminApi.json(this.admin.post("/admin/api/realms/audit-retention/audit-events/checkpoints",
				token));
		HttpResponse<String> refused = this.admin.get(VERIFY + "?checkpoint="
				+ URLEncoder.encode(other.get("checkpoint").asString(), StandardCharsets.UTF_8), token);
		assertThat(refused.statusCode()).isEqualTo(400);
		JsonNode problem = AdminApi.json(refused);
		assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("checkpoint");
		assertThat(problem.get("errors").get(0).get("message").asString()).contains(REALM);
	}

	@Test
	void verificationWhenHelpdeskThen403() {
		String helpdesk = this.admin.token("lockout-helpdesk", "lockout-helpdesk-test-pass");
		assertThat(this.admin.get("/admin/api/realms/guarded/audit-events/verification", helpdesk).statusCode())
			.isEqualTo(403);
		String auditor = this.admin.token("lockout-auditor", "lockout-auditor-test-pass");
		assertThat(this.admin.get("/admin/api/realms/guarded/audit-events/verification", auditor).statusCode())
			.isEqualTo(200);
	}

	@Test
	void retentionDeletesWholeOldSegmentsOnlyAndTheChainStillVerifies() {
		String realm = "audit-retention";
		Instant old = Instant.now().minus(Duration.ofDays(40));
		for (int i = 0; i < 25; i++) {
			this.jdbc.sql("""
					insert into audit_event (occurred_at, realm, type, outcome, details)
					values (:at, :realm, 'LOGIN', 'success', '{}')
					""").param("at", Timestamp.from(old.plusSeconds(i))).param("realm", realm).update();
		}
		for (int i = 0; i < 3; i++) {
			this.audit.record(AuditEvent.of(realm, AuditEventType.LOGIN).build());
		}
		AuditChains.awaitSealed(this.chain, this.audit, realm);

		// segments of 10 (application-test.yaml): positions 1-20 are old; 21-30 holds young events too
		assertThat(this.retention.apply(realm)).isEqualTo(20);
		assertThat(this.retention.apply(realm)).as("nothing more is old enough").isZero();
		AuditChain.Verification verification = this.chain.verify(realm, null);
		assertThat(verification.intact()).as(verification::toString).isTrue();
		assertThat(verification.startPosition()).isEqualTo(20);
		assertThat(this.audit.newest(realm, AuditEventType.AUDIT_RETENTION, null, 1)).singleElement()
			.satisfies((event) -> assertThat(event.event().details()).containsEntry("deletedEvents", 20));
		JsonNode listed = AdminApi.json(this.admin.get("/admin/api/realms/" + realm + "/audit-events?limit=500",
				superAdmin()));
		assertThat(listed.get("events").size()).as("5 old events of the kept segment, 3 young, the retention's")
			.isEqualTo(9);
	}

	private String superAdmin() {
		return this.admin.token("lockout-super", "lockout-super-test-pass");
	}

	private JsonNode verify(String token, String path) {
		HttpResponse<String> response = this.admin.get(path, token);
		assertThat(response.statusCode()).as(response::body).isEqualTo(200);
		return AdminApi.json(response);
	}

	/** Records events in the realm and waits until they are sealed; returns the head's position. */
	private long sealedEvents(int count) {
		for (int i = 0; i < count; i++) {
			this.audit.record(AuditEvent.of(REALM, AuditEventType.ADMIN_CHANGE).detail("action", "test-" + i).build());
		}
		AuditChains.awaitSealed(this.chain, this.audit, REALM);
		return this.jdbc.sql("select chain_position from audit_chain_head where realm = :realm")
			.param("realm", REALM)
			.query(Long.class)
			.single();
	}

	private Map<String, Object> row(long position) {
		return this.jdbc.sql("""
				select id, occurred_at, realm, type, outcome, subject, username, client_id, ip_address, user_agent,
				  session_id, details::text as details, txid::text as txid, chain_position, hash, chain_version,
				  personal_salt, personal_digest
				from audit_event where realm = :realm and chain_position = :position
				""").param("realm", REALM).param("position", position).query().singleRow();
	}

	private void restore(Map<String, Object> row) {
		this.jdbc.sql("""
				insert into audit_event (id, occurred_at, realm, type, outcome, subject, username, client_id, ip_address,
				  user_agent, session_id, details, txid, chain_position, hash, chain_version, personal_salt,
				  personal_digest)
				values (:id, :occurred_at, :realm, :type, :outcome, :subject, :username, :client_id, :ip_address,
				  :user_agent, :session_id, cast(:details as jsonb), cast(:txid as xid8), :chain_position, :hash,
				  :chain_version, :personal_salt, :personal_digest)
				""").params(row).update();
	}

	/** Exchanges the chain positions (and hashes) of two events, as a reordering would. */
	private void swap(long first, long second) {
		Map<String, Object> a = row(first);
		Map<String, Object> b = row(second);
		this.jdbc.sql("update audit_event set chain_position = -1 where id = :id").param("id", a.get("id")).update();
		this.jdbc.sql("update audit_event set chain_position = :p, hash = :h where id = :id")
			.param("p", first)
			.param("h", a.get("hash"))
			.param("id", b.get("id"))
			.update();
		this.jdbc.sql("update audit_event set chain_position = :p, hash = :h where id = :id")
			.param("p", second)
			.param("h", b.get("hash"))
			.param("id", a.get("id"))
			.update();
	}

}
