package jp.hitotsu.admin;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jp.hitotsu.account.AccountService;
import jp.hitotsu.account.AccountVersions;
import jp.hitotsu.account.Person;
import jp.hitotsu.account.PersonRecords;
import jp.hitotsu.realm.RealmRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A person's data on their account (names, kana readings, romanised name, e-mail address
 * and whether it is verified, phone number, enabled) and the evidence of how their
 * identity was proven. A change is a JSON merge patch (RFC 7396: a field given is set,
 * {@code null} clears it, a field left out stays) checked as a whole, conditional on
 * {@code If-Match} when sent. The identity assurance level rises only by recording
 * evidence, so that every level has its proof.
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}/users/{userId}")
class PersonController {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static final int MAX_EVIDENCE_TEXT = 64;

	static final int MAX_PROVIDER = 255;

	private final PersonRecords people;

	private final AccountService accounts;

	private final AdminChanges changes;

	private final RealmRegistry realms;

	private final Clock clock;

	PersonController(PersonRecords people, AccountService accounts, AdminChanges changes, RealmRegistry realms,
			Clock clock) {
		this.people = people;
		this.accounts = accounts;
		this.changes = changes;
		this.realms = realms;
		this.clock = clock;
	}

	@GetMapping
	@Operation(summary = "Show a person's data, with its version as ETag")
	@AdminOperation(AdminPermission.MANAGE_PEOPLE)
	ResponseEntity<PersonRecords.PersonView> person(@PathVariable String realm, @PathVariable String userId) {
		this.realms.get(realm);
		return withVersion(this.people.find(realm, userId).orElseThrow(() -> new UnknownUserException(realm, userId)));
	}

	@PatchMapping
	@Operation(summary = "Correct a person's data (JSON merge patch)")
	@AdminOperation(AdminPermission.MANAGE_PEOPLE)
	ResponseEntity<PersonRecords.PersonView> change(@PathVariable String realm, @PathVariable String userId,
			// read as text and checked field by field; described as the fields it sets
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					mediaType = "application/merge-patch+json",
					schema = @Schema(implementation = PersonRecords.PersonView.class))) @RequestBody(
							required = false) String body,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.realms.get(realm);
		Map<PersonRecords.Field, Object> fields = personFields(object(body));
		return withVersion(this.changes.changePerson(administrator, realm, userId, fields,
				AccountVersions.expected(ifMatch), request.getRemoteAddr()));
	}

	@GetMapping("/evidence")
	@Operation(summary = "List the evidence of a person's identity, oldest first")
	@AdminOperation(AdminPermission.MANAGE_PEOPLE)
	AccountService.Assurance evidence(@PathVariable String realm, @PathVariable String userId) {
		this.realms.get(realm);
		return this.accounts.assurance(realm, userId).orElseThrow(() -> new UnknownUserException(realm, userId));
	}

	/** Records evidence (201 with the level and evidence after it); the level never falls. */
	@PostMapping("/evidence")
	@Operation(summary = "Record how a person's identity was proven")
	@AdminOperation(AdminPermission.MANAGE_PEOPLE)
	ResponseEntity<AccountService.Assurance> recordEvidence(@PathVariable String realm, @PathVariable String userId,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json",
					schema = @Schema(implementation = AccountService.Evidence.class))) @RequestBody(
							required = false) String body,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		this.realms.get(realm);
		AccountService.Evidence evidence = evidence(object(body));
		AccountService.Assurance assurance = this.changes.recordEvidence(administrator, realm, userId, evidence,
				request.getRemoteAddr());
		return ResponseEntity.created(URI.create(request.getRequestURI())).body(assurance);
	}

	private static ResponseEntity<PersonRecords.PersonView> withVersion(PersonRecords.PersonView person) {
		return ResponseEntity.ok().eTag(AccountVersions.etag(person.version())).body(person);
	}

	private static JsonNode object(String body) {
		JsonNode node;
		try {
			node = (body != null && !body.isBlank()) ? JSON.readTree(body) : null;
		}
		catch (JacksonException ex) {
			node = null;
		}
		if (node == null || !node.isObject()) {
			throw new InvalidParameterException("body", "admin.problem.json-object");
		}
		return node;
	}

	/** Every field of a merge patch with its value, or a 400 listing every field of the wrong name or type. */
	private static Map<PersonRecords.Field, Object> personFields(JsonNode body) {
		Map<PersonRecords.Field, Object> fields = new EnumMap<>(PersonRecords.Field.class);
		List<Person.FieldError> errors = new ArrayList<>();
		for (Map.Entry<String, JsonNode> property : body.properties()) {
			String name = property.getKey();
			JsonNode value = property.getValue();
			Optional<PersonRecords.Field> field = PersonRecords.Field.fromKey(name);
			if (field.isEmpty()) {
				errors.add(new Person.FieldError(name, name.equals("ial") ? "admin.problem.ial-by-evidence"
						: "admin.problem.unknown-field"));
			}
			else if (field.get().isBoolean()) {
				if (value.isBoolean()) {
					fields.put(field.get(), value.booleanValue());
				}
				else {
					errors.add(new Person.FieldError(name, "admin.problem.not-boolean"));
				}
			}
			else if (value.isNull() || value.isString()) {
				fields.put(field.get(), value.isNull() ? null : value.stringValue());
			}
			else {
				errors.add(new Person.FieldError(name, "admin.problem.not-string"));
			}
		}
		if (!errors.isEmpty()) {
			throw new PersonRecords.InvalidPersonException(errors);
		}
		return fields;
	}

	/** The evidence a body describes, or a 400 listing every bad field. */
	private AccountService.Evidence evidence(JsonNode body) {
		List<Person.FieldError> errors = new ArrayList<>();
		String evidence = text(body, "evidence", true, MAX_EVIDENCE_TEXT, errors);
		String method = text(body, "method", true, MAX_EVIDENCE_TEXT, errors);
		String provider = text(body, "provider", false, MAX_PROVIDER, errors);
		Instant verifiedAt = this.clock.instant();
		JsonNode at = body.get("verifiedAt");
		if (at != null && !at.isNull()) {
			try {
				verifiedAt = OffsetDateTime.parse(at.asString()).toInstant();
				if (verifiedAt.isAfter(this.clock.instant())) {
					errors.add(new Person.FieldError("verifiedAt", "admin.problem.in-future"));
				}
			}
			catch (DateTimeParseException ex) {
				errors.add(new Person.FieldError("verifiedAt", "admin.problem.not-time"));
			}
		}
		JsonNode ial = body.get("ial");
		if (ial == null || !ial.isInt() || ial.intValue() < 1 || ial.intValue() > 3) {
			errors.add(new Person.FieldError("ial", "admin.problem.ial"));
		}
		for (String name : body.propertyNames()) {
			if (!List.of("evidence", "method", "provider", "verifiedAt", "ial").contains(name)) {
				errors.add(new Person.FieldError(name, "admin.problem.unknown-field"));
			}
		}
		if (!errors.isEmpty()) {
			throw new PersonRecords.InvalidPersonException(errors);
		}
		return new AccountService.Evidence(evidence, method, provider, verifiedAt, ial.intValue());
	}

	private static String text(JsonNode body, String name, boolean required, int maxLength,
			List<Person.FieldError> errors) {
		JsonNode value = body.get(name);
		if (value == null || value.isNull() || (value.isString() && value.stringValue().isBlank())) {
			if (required) {
				errors.add(new Person.FieldError(name, "person.error.required"));
			}
			return null;
		}
		if (!value.isString()) {
			errors.add(new Person.FieldError(name, "admin.problem.not-string"));
			return null;
		}
		String text = value.stringValue().strip();
		if (text.codePointCount(0, text.length()) > maxLength || text.codePoints().anyMatch(Character::isISOControl)) {
			errors.add(new Person.FieldError(name, "admin.problem.text-length"));
		}
		return text;
	}

}
