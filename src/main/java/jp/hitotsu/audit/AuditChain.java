package jp.hitotsu.audit;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jp.hitotsu.keys.SigningKeyService;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hash chain of each realm's audit trail: the sealer that links finished events, the
 * verifier that walks a chain and names its first broken link, and signed checkpoints of
 * a chain's head (docs/audit.md).
 *
 * <p>
 * Writers never wait for the chain: an event is inserted unchained in its own transaction
 * and sealed later by one sealer at a time across all instances (a transaction-scoped
 * advisory lock). The sealer takes only events whose inserting transaction is older than
 * every transaction still running, so an event committed late by a slow transaction is
 * chained after the ones sealed before it, never in a place already taken, and an event
 * of a rolled-back transaction never exists to be chained.
 */
@Service
public class AuditChain {

	private static final Logger logger = LoggerFactory.getLogger(AuditChain.class);

	/** Key of the sealer's advisory lock ("HITOTSU" and 0x60, the migration of the chain). */
	private static final long SEAL_LOCK = 0x48_49_54_4F_54_53_55_60L;

	/** The JOSE type of a checkpoint, so no other JWS of the realm's keys passes for one. */
	static final JOSEObjectType CHECKPOINT_TYPE = new JOSEObjectType("hitotsu-audit-checkpoint+jwt");

	/** Most erased links a verification lists (it counts them all). */
	static final int MAX_ERASED_LISTED = 100;

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final TransactionTemplate readOnly;

	private final SigningKeyService keys;

	private final RealmRegistry realms;

	private final AuditProperties properties;

	private final Clock clock;

	AuditChain(JdbcClient jdbc, TransactionTemplate transactions, SigningKeyService keys, RealmRegistry realms,
			AuditProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.readOnly = new TransactionTemplate(transactions.getTransactionManager());
		this.readOnly.setReadOnly(true);
		this.keys = keys;
		this.realms = realms;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${hitotsu.audit.seal-interval:1s}",
			fixedDelayString = "${hitotsu.audit.seal-interval:1s}")
	void sealScheduled() {
		try {
			sealAll();
		}
		catch (DataAccessException ex) {
			logger.warn("Cannot seal audit events now ({}); trying again", ex.getMessage());
		}
	}

	/** Seals every finished event; returns how many. */
	public int sealAll() {
		int total = 0;
		int sealed;
		do {
			sealed = seal();
			total += sealed;
		}
		while (sealed == this.properties.sealBatchSize());
		return total;
	}

	/**
	 * Chains one batch of finished events, oldest first, or none when another instance is
	 * sealing.
	 */
	int seal() {
		Integer sealed = this.transactions.execute((status) -> {
			boolean locked = this.jdbc.sql("select pg_try_advisory_xact_lock(:key)")
				.param("key", SEAL_LOCK)
				.query(Boolean.class)
				.single();
			if (!locked) {
				return 0;
			}
			// one statement, one snapshot: every transaction below its xmin has ended, so each
			// row found is committed and no row of those transactions can still appear
			List<AuditLink> rows = this.jdbc.sql("select " + AuditLink.COLUMNS + """
					 from audit_event
					where chain_position is null and (txid is null or txid < pg_snapshot_xmin(pg_current_snapshot()))
					order by id limit :batch for update
					""").param("batch", this.properties.sealBatchSize()).query(AuditLink::read).list();
			// locked: an account deletion erasing these rows waits, and erases what is digested here
			if (rows.isEmpty()) {
				return 0;
			}
			Map<String, Head> heads = new LinkedHashMap<>();
			Long[] ids = new Long[rows.size()];
			Long[] positions = new Long[rows.size()];
			byte[][] hashes = new byte[rows.size()][];
			byte[][] salts = new byte[rows.size()][];
			byte[][] digests = new byte[rows.size()][];
			for (int i = 0; i < rows.size(); i++) {
				AuditLink row = rows.get(i).toBeSealed();
				Head head = heads.computeIfAbsent(row.realm(), this::head);
				long position = head.position() + 1;
				byte[] hash = row.hashAt(position, head.hash());
				heads.put(row.realm(), new Head(position, hash, row.occurredAt()));
				ids[i] = row.id();
				positions[i] = position;
				hashes[i] = hash;
				salts[i] = row.salt();
				digests[i] = row.personalDigest();
			}
			this.jdbc.sql("""
					update audit_event e set chain_position = s.position, hash = s.hash, chain_version = 2,
					  personal_salt = s.salt, personal_digest = s.digest
					from unnest(:ids, :positions, :hashes, :salts, :digests) as s(id, position, hash, salt, digest)
					where e.id = s.id
					""")
				.param("ids", AuditTrail.array("bigint", ids))
				.param("positions", AuditTrail.array("bigint", positions))
				.param("hashes", AuditTrail.array("bytea", hashes))
				.param("salts", AuditTrail.array("bytea", salts))
				.param("digests", AuditTrail.array("bytea", digests))
				.update();
			Timestamp now = Timestamp.from(this.clock.instant());
			heads.forEach((realm, head) -> this.jdbc.sql("""
					insert into audit_chain_head (realm, chain_position, hash, sealed_at)
					values (:realm, :position, :hash, :now)
					on conflict (realm) do update set chain_position = excluded.chain_position, hash = excluded.hash,
					  sealed_at = excluded.sealed_at
					""")
				.param("realm", realm)
				.param("position", head.position())
				.param("hash", head.hash())
				.param("now", now)
				.update());
			return rows.size();
		});
		return (sealed != null) ? sealed : 0;
	}

	private Head head(String realm) {
		return this.jdbc.sql("select chain_position, hash from audit_chain_head where realm = :realm")
			.param("realm", realm)
			.query((rs, row) -> new Head(rs.getLong("chain_position"), rs.getBytes("hash"), null))
			.optional()
			.orElse(new Head(0, AuditLink.GENESIS, null));
	}

	/**
	 * Walks the realm's chain from its start (or the checkpoint retention left) to its head
	 * and reports the first link that does not hold: an event changed (its hash differs), an
	 * event missing (a gap in the chain positions, or a chain shorter than its recorded head),
	 * events reordered (hashes differ). Given a signed checkpoint, also that the chain still
	 * reaches it with the same hash, so a deleted tail shows.
	 * @param checkpoint a checkpoint JWS from {@link #checkpoint}, or {@code null}
	 * @throws InvalidCheckpointException when the checkpoint is not a valid one of this realm
	 */
	public Verification verify(String realm, String checkpoint) {
		Optional<Checkpoint> expected = Optional.ofNullable(checkpoint).map((jws) -> parseCheckpoint(realm, jws));
		Verification result = this.readOnly.execute((status) -> walk(realm, expected.orElse(null)));
		return result;
	}

	private Verification walk(String realm, Checkpoint checkpoint) {
		Head start = this.jdbc.sql("""
				select chain_position, hash, occurred_at from audit_checkpoint where realm = :realm
				order by chain_position desc limit 1
				""")
			.param("realm", realm)
			.query((rs, row) -> new Head(rs.getLong("chain_position"), rs.getBytes("hash"),
					rs.getTimestamp("occurred_at").toInstant()))
			.optional()
			.orElse(new Head(0, AuditLink.GENESIS, null));
		Walk walk = new Walk(start, checkpoint);
		this.jdbc.sql("select " + AuditLink.COLUMNS + """
				 from audit_event where realm = :realm and chain_position > :start order by chain_position
				""")
			.param("realm", realm)
			.param("start", start.position())
			.withFetchSize(1000)
			.query((RowCallbackHandler) (rs) -> walk.next(AuditLink.read(rs, 0)));
		Head recorded = this.jdbc.sql("select chain_position, hash, sealed_at from audit_chain_head where realm = :realm")
			.param("realm", realm)
			.query((rs, row) -> new Head(rs.getLong("chain_position"), rs.getBytes("hash"),
					rs.getTimestamp("sealed_at").toInstant()))
			.optional()
			.orElse(null);
		if (walk.broken == null && recorded != null && recorded.position() > walk.position) {
			walk.broken = new BrokenLink(walk.position + 1, null, "missing",
					"the chain of realm '" + realm + "' ends at position " + walk.position
							+ " but its sealed head is at " + recorded.position() + ": events at the end were deleted");
		}
		if (walk.broken == null && checkpoint != null) {
			walk.checkAgainst(realm, checkpoint);
		}
		List<String> warnings = new ArrayList<>();
		if (checkpoint != null && checkpoint.position() <= start.position() && checkpoint.position() > 0) {
			warnings.add("the checkpoint at position " + checkpoint.position()
					+ " is older than the retained chain of realm '" + realm + "', which starts after position "
					+ start.position());
		}
		Instant warnBefore = this.clock.instant().minus(this.properties.unsealedWarningAfter());
		Unsealed unsealed = this.jdbc.sql("""
				select count(*) as waiting, count(*) filter (where occurred_at < :before) as late
				from audit_event where realm = :realm and chain_position is null
				""")
			.param("realm", realm)
			.param("before", Timestamp.from(warnBefore))
			.query((rs, row) -> new Unsealed(rs.getLong("waiting"), rs.getLong("late")))
			.single();
		if (unsealed.late() > 0) {
			warnings.add(unsealed.late() + " events of realm '" + realm + "' are still unsealed after "
					+ this.properties.unsealedWarningAfter() + " (a transaction left open, or no sealer running)");
		}
		return new Verification(realm, walk.broken == null, walk.checked, start.position(),
				new Link(walk.position, BASE64URL.encodeToString(walk.hash), walk.lastTime), walk.broken,
				unsealed.waiting(), warnings, walk.erasedCount, List.copyOf(walk.erased));
	}

	/** State of a walk along a chain. */
	private static final class Walk {

		private final Checkpoint checkpoint;

		long position;

		byte[] hash;

		Instant lastTime;

		long checked;

		byte[] hashAtCheckpoint;

		BrokenLink broken;

		long erasedCount;

		final List<ErasedLink> erased = new ArrayList<>();

		Walk(Head start, Checkpoint checkpoint) {
			this.position = start.position();
			this.hash = start.hash();
			this.lastTime = start.occurredAt();
			this.checkpoint = checkpoint;
			if (checkpoint != null && checkpoint.position() == start.position()) {
				this.hashAtCheckpoint = start.hash();
			}
		}

		void next(AuditLink link) {
			if (this.broken != null) {
				return;
			}
			long expected = this.position + 1;
			if (link.position() != expected) {
				this.broken = new BrokenLink(expected, null, "missing", "the event at chain position " + expected
						+ " is missing (the next one, event " + link.id() + ", is at " + link.position() + ")");
				return;
			}
			if (!link.personalFieldsMatch()) {
				this.broken = new BrokenLink(expected, link.id(), "changed", "event " + link.id()
						+ " at chain position " + expected + " does not match the digest of its personal fields: "
						+ "they were changed");
				return;
			}
			byte[] computed = link.hashAt(expected, this.hash);
			if (!Arrays.equals(computed, link.hash())) {
				this.broken = new BrokenLink(expected, link.id(), "changed", "event " + link.id()
						+ " at chain position " + expected + " does not match its hash: it was changed, moved or "
						+ "the event before it was");
				return;
			}
			this.position = expected;
			this.hash = link.hash();
			this.lastTime = link.occurredAt();
			this.checked++;
			if (link.personalDataErased()) {
				if (this.erased.size() < MAX_ERASED_LISTED) {
					this.erased.add(new ErasedLink(expected, link.id(), link.subject()));
				}
				this.erasedCount++;
			}
			if (this.checkpoint != null && this.checkpoint.position() == expected) {
				this.hashAtCheckpoint = link.hash();
			}
		}

		void checkAgainst(String realm, Checkpoint checkpoint) {
			if (checkpoint.position() > this.position) {
				this.broken = new BrokenLink(this.position + 1, null, "missing", "the chain of realm '" + realm
						+ "' ends at position " + this.position + " but the checkpoint of " + checkpoint.issuedAt()
						+ " names position " + checkpoint.position() + ": events at the end were deleted");
			}
			else if (this.hashAtCheckpoint != null && !Arrays.equals(this.hashAtCheckpoint, checkpoint.hash())) {
				this.broken = new BrokenLink(checkpoint.position(), null, "checkpoint-mismatch",
						"the link at chain position " + checkpoint.position() + " of realm '" + realm
								+ "' differs from the checkpoint of " + checkpoint.issuedAt()
								+ ": the chain was rewritten");
			}
		}

	}

	/**
	 * The realm's chain head, as a JWS signed with the realm's current signing key: keep it
	 * outside the database, and a later verification given it shows whether events were
	 * deleted from the end since (or the chain rewritten).
	 */
	public SignedCheckpoint checkpoint(String realm) {
		Realm found = this.realms.get(realm);
		sealAll();
		Head head = this.jdbc.sql("""
				select h.chain_position, h.hash, e.occurred_at from audit_chain_head h
				left join audit_event e on e.realm = h.realm and e.chain_position = h.chain_position
				where h.realm = :realm
				""")
			.param("realm", realm)
			.query((rs, row) -> new Head(rs.getLong("chain_position"), rs.getBytes("hash"),
					(rs.getTimestamp("occurred_at") != null) ? rs.getTimestamp("occurred_at").toInstant() : null))
			.optional()
			.orElse(new Head(0, AuditLink.GENESIS, null));
		Instant now = this.clock.instant();
		JWSAlgorithm algorithm = JWSAlgorithm.parse(found.tokens().signingAlgorithm());
		JWK key = this.keys.signingKeys(realm)
			.getKeys()
			.stream()
			.filter((candidate) -> algorithm.equals(candidate.getAlgorithm()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Realm '" + realm + "' has no " + algorithm + " key"));
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("realm", realm)
			.claim("position", head.position())
			.claim("hash", BASE64URL.encodeToString(head.hash()))
			.issueTime(Date.from(now));
		if (head.occurredAt() != null) {
			claims.claim("head_time", head.occurredAt().toString());
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(CHECKPOINT_TYPE).keyID(key.getKeyID()).build(),
				claims.build());
		try {
			jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, algorithm));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign the audit checkpoint of realm '" + realm + "'", ex);
		}
		return new SignedCheckpoint(jwt.serialize(), realm,
				new Link(head.position(), BASE64URL.encodeToString(head.hash()), head.occurredAt()), now);
	}

	private Checkpoint parseCheckpoint(String realm, String jws) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(CHECKPOINT_TYPE));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
				new ImmutableJWKSet<>(this.keys.publishedKeys(realm))));
		processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
				new JWTClaimsSet.Builder().claim("realm", realm).build(), Set.of("position", "hash", "iat")));
		try {
			JWTClaimsSet claims = processor.process(jws, null);
			Long position = claims.getLongClaim("position");
			byte[] hash = Base64.getUrlDecoder().decode(claims.getStringClaim("hash"));
			if (position == null || position < 0 || hash.length != 32) {
				throw new InvalidCheckpointException(realm, "its position or hash is malformed");
			}
			return new Checkpoint(position, hash, claims.getIssueTime().toInstant());
		}
		catch (ParseException | BadJOSEException | JOSEException | IllegalArgumentException ex) {
			throw new InvalidCheckpointException(realm, ex.getMessage());
		}
	}

	/**
	 * What a verification found.
	 * @param realm the realm
	 * @param intact whether every link holds (and the checkpoint, when one was given)
	 * @param checked links checked
	 * @param startPosition the position the walk started after: 0, or the checkpoint that
	 * retention left
	 * @param head the last link that held
	 * @param firstBrokenLink the first link that does not hold, or {@code null}
	 * @param unsealed events of the realm not chained yet
	 * @param warnings what deserves a look without breaking the chain
	 * @param personalDataErased links that hold although their personal fields were erased
	 * after sealing (an account's deletion): the chain vouches for their type, outcome,
	 * time, realm and client, no longer for who
	 * @param erased the first {@value #MAX_ERASED_LISTED} of them
	 */
	public record Verification(String realm, boolean intact, long checked, long startPosition, Link head,
			BrokenLink firstBrokenLink, long unsealed, List<String> warnings, long personalDataErased,
			List<ErasedLink> erased) {
	}

	/**
	 * A link whose personal fields were erased: not a broken link.
	 * @param pseudonym the subject the deletion left, which its {@code ACCOUNT_DELETED} event
	 * carries too
	 */
	public record ErasedLink(long position, long eventId, String pseudonym) {
	}

	/**
	 * @param position the chain position of the link
	 * @param eventId the event stored there, when there is one
	 * @param problem {@code changed}, {@code missing} or {@code checkpoint-mismatch}
	 * @param message what is wrong, naming the realm or the event
	 */
	public record BrokenLink(long position, Long eventId, String problem, String message) {
	}

	/** A link of a chain: position, hash (base64url) and time of its event. */
	public record Link(long position, String hash, Instant occurredAt) {
	}

	/** An exported checkpoint: the JWS and what it says. */
	public record SignedCheckpoint(String checkpoint, String realm, Link head, Instant issuedAt) {
	}

	private record Checkpoint(long position, byte[] hash, Instant issuedAt) {
	}

	private record Head(long position, byte[] hash, Instant occurredAt) {
	}

	private record Unsealed(long waiting, long late) {
	}

	/** A checkpoint that is not a valid, signed checkpoint of the realm. */
	public static class InvalidCheckpointException extends RuntimeException {

		private final String realm;

		InvalidCheckpointException(String realm, String reason) {
			super("Not a valid audit checkpoint of realm '" + realm + "': " + reason);
			this.realm = realm;
		}

		public String realm() {
			return this.realm;
		}

	}

}
