package jp.hitotsu.provisioning;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import java.nio.ByteBuffer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.Identity;
import jp.hitotsu.audit.AuditEvent;
import jp.hitotsu.audit.AuditEventType;
import jp.hitotsu.audit.AuditTrail;
import jp.hitotsu.directory.DirectoryError;
import jp.hitotsu.directory.DirectoryService;
import jp.hitotsu.directory.InvalidDirectoryInputException;
import jp.hitotsu.provisioning.BundleRefusedException.Reason;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One-way directory bundles (docs/directory-bundles.md): the door of the provisioning
 * package. An exporting zone signs the accounts a filter selects, with their profile,
 * organisation and roles and never a credential; an importing zone checks the signature
 * against the key it pins, refuses replays, and applies the bundle in one transaction.
 */
@Service
public class DirectoryBundles {

	/** ES256 signatures are two 32-byte numbers: shorter means the file was cut. */
	private static final int SIGNATURE_LENGTH = 64;

	private final BundleProperties properties;

	private final BundleSigningKey signingKey;

	private final ActivationCodes activationCodes;

	private final AccountService accounts;

	private final DirectoryService directory;

	private final RealmRegistry realms;

	private final AuditTrail audit;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	DirectoryBundles(BundleProperties properties, BundleSigningKey signingKey, ActivationCodes activationCodes,
			AccountService accounts, DirectoryService directory, RealmRegistry realms, AuditTrail audit,
			JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
		this.properties = properties;
		this.signingKey = signingKey;
		this.activationCodes = activationCodes;
		this.accounts = accounts;
		this.directory = directory;
		this.realms = realms;
		this.audit = audit;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Which accounts of a realm a bundle carries: holders of {@code role} (a realm role, or
	 * with {@code client} also a role the directory gives in that client), and/or people
	 * with a post in {@code unit} or below it; both given, people who are both.
	 * @param roles the roles the bundle carries for each account (of the account's roles,
	 * realm and directory ones); absent: {@code role} alone
	 * @param full whether the importing realm disables the accounts from this zone that the
	 * bundle does not list
	 */
	public record ExportRequest(String role, String client, String unit, List<String> roles, boolean full) {
	}

	/** A signed bundle file (a compact JWS, ASCII) and what it holds. */
	public record Exported(byte[] file, long sequence, String kid, int accounts) {
	}

	/** The public key of this zone's bundle-signing key, as JSON, to pin in an importing zone. */
	public String publicKey() {
		return this.signingKey.publicKey().toJSONString();
	}

	@Transactional
	public Exported export(String realm, ExportRequest request, String actor, String ipAddress) {
		this.realms.get(realm);
		List<BundleProblem> problems = new ArrayList<>();
		if (blank(request.role()) && blank(request.unit())) {
			problems.add(new BundleProblem(null, "role", "bundle.error.filter", List.of()));
		}
		if (!blank(request.client()) && blank(request.role())) {
			problems.add(new BundleProblem(null, "client", "bundle.error.client-without-role", List.of()));
		}
		if (!problems.isEmpty()) {
			throw new BundleRefusedException(Reason.INVALID_CONTENT, realm, problems);
		}
		Set<UUID> selected = null;
		if (!blank(request.role())) {
			selected = new LinkedHashSet<>(this.accounts.withRole(realm, request.role()));
			if (!blank(request.client())) {
				selected.addAll(this.directory.roleHolders(realm, request.client(), request.role()));
			}
		}
		if (!blank(request.unit())) {
			Set<UUID> members = this.directory.membersUnder(realm, request.unit());
			if (selected == null) {
				selected = new LinkedHashSet<>(members);
			}
			else {
				selected.retainAll(members);
			}
		}
		Set<String> carried = (request.roles() != null && !request.roles().isEmpty()) ? Set.copyOf(request.roles())
				: (blank(request.role()) ? Set.of() : Set.of(request.role()));
		List<BundleFile.Account> lines = new ArrayList<>();
		Set<String> unitCodes = new TreeSet<>();
		for (UUID id : selected) {
			Optional<Identity> found = this.accounts.find(realm, id.toString()).filter(Identity::enabled);
			if (found.isEmpty()) {
				continue;
			}
			lines.add(accountLine(realm, found.get(), request.client(), carried, unitCodes));
		}
		if (lines.size() > this.properties.maxAccounts()) {
			throw new BundleRefusedException(Reason.TOO_LARGE, realm, lines.size(), this.properties.maxAccounts());
		}
		lines.sort(java.util.Comparator.comparing(BundleFile.Account::username));
		List<BundleFile.Unit> units = this.directory.unitsWithAncestors(realm, unitCodes)
			.stream()
			.map((unit) -> new BundleFile.Unit("unit", unit.code(), unit.kind(), unit.nameJa(), unit.nameEn(),
					unit.parent(), instant(unit.validFrom()), instant(unit.validTo())))
			.toList();
		BundleSigningKey.Signing signing = this.signingKey.next();
		Instant now = this.clock.instant();
		BundleFile.Header header = new BundleFile.Header("header", BundleFile.FORMAT, BundleFile.VERSION,
				signing.sequence(), now.toString(), realm, this.realms.zone().id(),
				request.full() ? BundleFile.FULL : BundleFile.INCREMENTAL,
				new BundleFile.Filter(request.role(), request.client(), request.unit(), List.copyOf(new TreeSet<>(carried))),
				units.size(), lines.size());
		String payload = BundleFile.write(new BundleFile.Contents(header, units, lines));
		JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(BundleFile.TYPE)
			.keyID(signing.key().getKeyID())
			.build(), new Payload(payload));
		try {
			jws.sign(new ECDSASigner(signing.key()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign the bundle", ex);
		}
		byte[] file = (jws.serialize() + "\n").getBytes(StandardCharsets.US_ASCII);
		if (file.length > this.properties.maxSize().toBytes()) {
			throw new BundleRefusedException(Reason.TOO_LARGE, realm, file.length, this.properties.maxSize().toBytes());
		}
		this.audit.record(AuditEvent.of(realm, AuditEventType.BUNDLE_EXPORTED)
			.ipAddress(ipAddress)
			.detail("actor", actor)
			.detail("sequence", signing.sequence())
			.detail("kid", signing.key().getKeyID())
			.detail("kind", header.kind())
			.detail("filter", header.filter().toString())
			.detail("accounts", lines.size())
			.build());
		return new Exported(file, signing.sequence(), signing.key().getKeyID(), lines.size());
	}

	private BundleFile.Account accountLine(String realm, Identity identity, String client, Set<String> carried,
			Set<String> unitCodes) {
		Set<String> held = new TreeSet<>(identity.roles());
		if (!blank(client)) {
			held.addAll(this.directory.placement(realm, identity.id(), client, false, false, true).roles());
		}
		held.retainAll(carried);
		List<BundleFile.Post> posts = this.directory.postsNow(realm, identity.id())
			.stream()
			.map((post) -> new BundleFile.Post(post.unit(), post.kind(), post.post()))
			.toList();
		posts.forEach((post) -> unitCodes.add(post.unit()));
		BundleFile.Staff staff = this.directory.staff(realm, identity.id())
			.map((s) -> new BundleFile.Staff(s.employeeNumber(), s.familyName(), s.givenName(), s.familyNameKana(),
					s.givenNameKana(), s.romanisedName(), s.jobGrade()))
			.orElse(null);
		return new BundleFile.Account("account", identity.subject(), identity.username(), identity.name(),
				identity.givenName(), identity.familyName(), identity.email(), identity.emailVerified(), staff,
				List.copyOf(held), posts);
	}

	/** What an import did; activation codes are shown this once. */
	public record ImportReport(String realm, long sequence, String kid, String kind, String exportedAt,
			List<Created> created, List<String> updated, List<String> disabled, int unchanged) {
	}

	/** An account the import created, with the code its owner activates it with. */
	public record Created(String username, String id, String activationCode, Instant activationCodeExpiresAt) {
	}

	/**
	 * Checks a bundle file against the keys the realm trusts and applies it, all or
	 * nothing. A refusal is audited (in its own transaction) and thrown.
	 */
	public ImportReport importBundle(String realm, byte[] file, String actor, String ipAddress) {
		this.realms.get(realm);
		try {
			Verified verified = verify(realm, file);
			return this.transactions.execute((status) -> apply(realm, verified, actor, ipAddress));
		}
		catch (BundleRefusedException ex) {
			this.transactions.executeWithoutResult((status) -> this.audit
				.record(AuditEvent.of(realm, AuditEventType.BUNDLE_REFUSED)
					.failure()
					.ipAddress(ipAddress)
					.detail("actor", actor)
					.detail("reason", ex.reason().key())
					.detail("arguments", List.of(ex.arguments()).toString())
					.detail("problems", ex.problems().size())
					.build()));
			throw ex;
		}
	}

	private record Verified(String keyId, BundleFile.Contents contents) {
	}

	private Verified verify(String realm, byte[] file) {
		BundleProperties.Import accepted = this.properties.imports().get(realm);
		if (accepted == null) {
			throw new BundleRefusedException(Reason.NOT_ACCEPTED, realm);
		}
		if (file.length > this.properties.maxSize().toBytes()) {
			throw new BundleRefusedException(Reason.TOO_LARGE, realm, file.length, this.properties.maxSize().toBytes());
		}
		String text = ascii(file, realm).strip();
		String[] parts = text.split("\\.", -1);
		if (parts.length == 1) {
			throw new BundleRefusedException(Reason.MALFORMED, realm, BundleFile.TYPE, "not a compact JWS");
		}
		if (parts.length < 3 || parts[2].isEmpty()) {
			throw new BundleRefusedException(Reason.TRUNCATED, realm);
		}
		JWSObject jws;
		try {
			jws = JWSObject.parse(text);
		}
		catch (ParseException ex) {
			throw new BundleRefusedException(Reason.MALFORMED, realm, BundleFile.TYPE, ex.getMessage());
		}
		JWSHeader header = jws.getHeader();
		if (!JWSAlgorithm.ES256.equals(header.getAlgorithm()) || !BundleFile.TYPE.equals(header.getType())) {
			throw new BundleRefusedException(Reason.MALFORMED, realm, BundleFile.TYPE,
					"alg " + header.getAlgorithm() + ", typ " + header.getType());
		}
		String kid = String.valueOf(header.getKeyID());
		Map<String, ECKey> trusted = trustedKeys(realm, accepted);
		ECKey key = trusted.get(kid);
		if (key == null) {
			throw new BundleRefusedException(Reason.UNTRUSTED_KEY, realm, kid);
		}
		if (jws.getSignature().decode().length < SIGNATURE_LENGTH) {
			throw new BundleRefusedException(Reason.TRUNCATED, realm);
		}
		try {
			if (!jws.verify(new ECDSAVerifier(key))) {
				throw new BundleRefusedException(Reason.SIGNATURE_INVALID, realm, kid);
			}
		}
		catch (JOSEException ex) {
			throw new BundleRefusedException(Reason.SIGNATURE_INVALID, realm, kid);
		}
		BundleFile.Contents contents = BundleFile.read(jws.getPayload().toString(), realm);
		if (contents.accounts().size() > this.properties.maxAccounts()) {
			throw new BundleRefusedException(Reason.TOO_LARGE, realm, contents.accounts().size(),
					this.properties.maxAccounts());
		}
		return new Verified(kid, contents);
	}

	private static String ascii(byte[] file, String realm) {
		try {
			return StandardCharsets.US_ASCII.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(file))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new BundleRefusedException(Reason.MALFORMED, realm, BundleFile.TYPE, "not ASCII");
		}
	}

	/** The realm's trusted keys by key id (the JWK's {@code kid}, and its thumbprint). */
	private static Map<String, ECKey> trustedKeys(String realm, BundleProperties.Import accepted) {
		Map<String, ECKey> keys = new HashMap<>();
		for (String entry : accepted.trustedKeys()) {
			String json = entry.strip();
			String where = json.startsWith("{") ? "(inline JWK)" : json;
			try {
				if (!json.startsWith("{")) {
					json = Files.readString(Path.of(json), StandardCharsets.UTF_8);
				}
				JWK jwk = JWK.parse(json);
				if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || jwk.isPrivate()) {
					throw new BundleRefusedException(Reason.TRUSTED_KEY_UNUSABLE, realm, where,
							"not a public P-256 EC key (a private key must never be pinned)");
				}
				keys.put(ec.computeThumbprint().toString(), ec);
				if (ec.getKeyID() != null) {
					keys.put(ec.getKeyID(), ec);
				}
			}
			catch (IOException | ParseException | JOSEException ex) {
				throw new BundleRefusedException(Reason.TRUSTED_KEY_UNUSABLE, realm, where, ex.getMessage());
			}
		}
		return keys;
	}

	private ImportReport apply(String realm, Verified verified, String actor, String ipAddress) {
		BundleFile.Contents contents = verified.contents();
		BundleFile.Header header = contents.header();
		// one import per realm at a time: the replay check below sees the last one committed
		this.jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
			.param("key", "bundle-import:" + realm)
			.query((rs, row) -> row)
			.single();
		Optional<Long> last = this.jdbc
			.sql("select sequence from bundle_import where realm = :realm and key_id = :key")
			.param("realm", realm)
			.param("key", verified.keyId())
			.query(Long.class)
			.optional();
		if (last.isPresent() && header.sequence() <= last.get()) {
			throw new BundleRefusedException(Reason.REPLAYED, realm, header.sequence(), verified.keyId(), last.get());
		}
		Instant now = this.clock.instant();
		String reason = "directory bundle " + header.sequence() + " from key " + verified.keyId();
		List<BundleProblem> problems = new ArrayList<>();
		for (int index = 0; index < contents.units().size(); index++) {
			BundleFile.Unit unit = contents.units().get(index);
			int line = contents.lineOfUnit(index);
			directoryChange(problems, line, () -> this.directory.saveUnit(realm,
					new DirectoryService.UnitInput(unit.code(), unit.kind(), unit.nameJa(), unit.nameEn(), unit.parent(),
							parseInstant(unit.validFrom()), parseInstant(unit.validTo()))));
		}
		Map<String, UUID> known = knownAccounts(realm, verified.keyId());
		List<Created> created = new ArrayList<>();
		List<String> updated = new ArrayList<>();
		int unchanged = 0;
		for (int index = 0; index < contents.accounts().size(); index++) {
			BundleFile.Account account = contents.accounts().get(index);
			int line = contents.lineOfAccount(index);
			UUID id = known.get(account.id());
			Optional<Identity> holder = this.accounts.findByUsername(realm, account.username());
			if (holder.isPresent() && !holder.get().id().equals(id)) {
				problems.add(BundleProblem.at(line, "username", "username-taken", account.username(), realm));
				continue;
			}
			boolean isNew = id == null;
			if (isNew) {
				id = this.accounts.create(realm, account.username(), account.familyName(), account.givenName(), reason)
					.id();
				this.jdbc.sql("insert into bundle_account (account_id, realm, key_id, source_id) values (:id, :realm, :key, :source)")
					.param("id", id)
					.param("realm", realm)
					.param("key", verified.keyId())
					.param("source", account.id())
					.update();
			}
			UUID accountId = id;
			boolean changed = this.accounts.applyProfile(realm, accountId,
					new AccountService.Profile(account.username(), account.name(), account.givenName(),
							account.familyName(), account.email(), account.emailVerified(),
							Set.copyOf((account.roles() != null) ? account.roles() : List.of())));
			if (account.staff() != null) {
				BundleFile.Staff staff = account.staff();
				DirectoryService.StaffInput input = new DirectoryService.StaffInput(staff.employeeNumber(),
						staff.familyName(), staff.givenName(), staff.familyNameKana(), staff.givenNameKana(),
						staff.romanisedName(), staff.jobGrade());
				if (!this.directory.staff(realm, accountId).map(DirectoryService.Staff::input).equals(Optional.of(input))) {
					changed |= directoryChange(problems, line, () -> this.directory.saveStaff(realm, accountId, input));
				}
			}
			List<DirectoryService.AssignmentInput> posts = ((account.posts() != null) ? account.posts()
					: List.<BundleFile.Post>of())
				.stream()
				.map((post) -> new DirectoryService.AssignmentInput(post.unit(), post.kind(), post.post(), null, null))
				.toList();
			boolean[] postsChanged = new boolean[1];
			directoryChange(problems, line,
					() -> postsChanged[0] = this.directory.replacePosts(realm, accountId, posts));
			changed |= postsChanged[0];
			if (isNew) {
				ActivationCodes.Issued code = this.activationCodes.issue(realm, accountId, now);
				created.add(new Created(account.username(), accountId.toString(), code.code(), code.expiresAt()));
			}
			else if (changed) {
				updated.add(account.username());
				this.audit.record(AuditEvent.of(realm, AuditEventType.BUNDLE_ACCOUNT_UPDATED)
					.subject(accountId.toString())
					.username(account.username())
					.detail("reason", reason)
					.build());
			}
			else {
				unchanged++;
			}
			known.remove(account.id());
		}
		if (!problems.isEmpty()) {
			throw new BundleRefusedException(Reason.INVALID_CONTENT, realm, problems);
		}
		List<String> disabled = new ArrayList<>();
		if (contents.full()) {
			for (UUID missing : known.values()) {
				Optional<Identity> identity = this.accounts.find(realm, missing.toString());
				if (identity.isPresent() && identity.get().enabled()) {
					this.accounts.disable(realm, missing, reason + ": no longer listed");
					this.activationCodes.spend(missing);
					disabled.add(identity.get().username());
				}
			}
		}
		this.jdbc.sql("""
				insert into bundle_import (realm, key_id, sequence, exported_at, applied_at)
				values (:realm, :key, :sequence, :exported, :now)
				on conflict (realm, key_id) do update set sequence = excluded.sequence,
				  exported_at = excluded.exported_at, applied_at = excluded.applied_at
				""")
			.param("realm", realm)
			.param("key", verified.keyId())
			.param("sequence", header.sequence())
			.param("exported", Timestamp.from(contents.exportedAt()))
			.param("now", Timestamp.from(now))
			.update();
		this.audit.record(AuditEvent.of(realm, AuditEventType.BUNDLE_IMPORTED)
			.ipAddress(ipAddress)
			.detail("actor", actor)
			.detail("sequence", header.sequence())
			.detail("kid", verified.keyId())
			.detail("kind", header.kind())
			.detail("sourceRealm", header.sourceRealm())
			.detail("sourceZone", header.sourceZone())
			.detail("created", created.size())
			.detail("updated", updated.size())
			.detail("disabled", disabled.size())
			.build());
		return new ImportReport(realm, header.sequence(), verified.keyId(), header.kind(), header.exportedAt(),
				created, updated, disabled, unchanged);
	}

	/**
	 * A new activation code (the old one stops working) for an account a bundle created and
	 * that was never activated, e.g. when its code expired; empty for any other account.
	 */
	@Transactional
	public Optional<Created> reissueActivationCode(String realm, Identity account, String actor, String ipAddress) {
		if (!this.activationCodes.awaitsActivation(realm, account.id())) {
			return Optional.empty();
		}
		ActivationCodes.Issued code = this.activationCodes.issue(realm, account.id(), this.clock.instant());
		this.audit.record(AuditEvent.of(realm, AuditEventType.ACTIVATION_CODE_ISSUED)
			.subject(account.subject())
			.username(account.username())
			.ipAddress(ipAddress)
			.detail("actor", actor)
			.build());
		return Optional.of(new Created(account.username(), account.subject(), code.code(), code.expiresAt()));
	}

	/** The accounts of the realm that came from bundles of this key, by their source id. */
	private Map<String, UUID> knownAccounts(String realm, String keyId) {
		Map<String, UUID> known = new HashMap<>();
		this.jdbc.sql("select source_id, account_id from bundle_account where realm = :realm and key_id = :key")
			.param("realm", realm)
			.param("key", keyId)
			.query((rs, row) -> known.put(rs.getString("source_id"), rs.getObject("account_id", UUID.class)))
			.list();
		return known;
	}

	/**
	 * Runs a directory change, turning what the directory refuses into problems of the
	 * bundle's line. The transaction is rolled back as a whole when any problem is found.
	 */
	private static boolean directoryChange(List<BundleProblem> problems, int line, Runnable change) {
		try {
			change.run();
			return true;
		}
		catch (InvalidDirectoryInputException ex) {
			for (DirectoryError error : ex.errors()) {
				problems.add(new BundleProblem(line, error.field(), "directory.error." + error.code(), error.arguments()));
			}
			return false;
		}
		catch (DateTimeParseException ex) {
			problems.add(BundleProblem.at(line, "validFrom", "time", ex.getParsedString()));
			return false;
		}
	}

	private static Instant parseInstant(String text) {
		return (text != null) ? Instant.parse(text) : null;
	}

	private static String instant(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

}
