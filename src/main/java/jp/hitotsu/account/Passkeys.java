package jp.hitotsu.account;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.web.webauthn.api.AttestationConveyancePreference;
import org.springframework.security.web.webauthn.api.AuthenticatorAssertionResponse;
import org.springframework.security.web.webauthn.api.AuthenticatorAttestationResponse;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredential;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialDescriptor;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialParameters;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.jackson.WebauthnJacksonModule;
import org.springframework.security.web.webauthn.management.ImmutableRelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.JdbcPublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.JdbcUserCredentialRepository;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyPublicKey;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.stereotype.Service;

/**
 * Passkeys (WebAuthn) of accounts, on Spring Security's relying party and its JDBC
 * stores. An account's passkeys hang off a WebAuthn user entity named
 * {@code <realm>/<account id>}, so a passkey of one realm never logs in to another.
 *
 * <p>
 * A ceremony is two requests: options (with a fresh challenge) go to the browser and are
 * kept in the caller's session; the browser's answer is checked against exactly those
 * options, so an answer to another challenge, origin or account is refused.
 */
@Service
public class Passkeys {

	private static final Duration CEREMONY_TIMEOUT = Duration.ofMinutes(5);

	private static final int MAX_LABEL = 100;

	private final JdbcPublicKeyCredentialUserEntityRepository userEntities;

	private final JdbcUserCredentialRepository credentials;

	private final PasskeyProperties properties;

	private final JsonMapper json = JsonMapper.builder().addModule(new WebauthnJacksonModule()).build();

	/** One verifier per origin seen (a handful: the host names and ports of this server). */
	private final Map<RelyingParty, Webauthn4JRelyingPartyOperations> verifiers = new ConcurrentHashMap<>();

	Passkeys(JdbcOperations jdbc, PasskeyProperties properties) {
		this.userEntities = new JdbcPublicKeyCredentialUserEntityRepository(jdbc);
		this.credentials = new JdbcUserCredentialRepository(jdbc);
		this.properties = properties;
	}

	/**
	 * The relying party a page of this request speaks for, or empty where passkeys cannot
	 * work: on an IP address (WebAuthn needs a domain), or an origin not allowed.
	 */
	public Optional<RelyingParty> relyingParty(HttpServletRequest request) {
		String host = request.getServerName();
		boolean defaultPort = ("http".equals(request.getScheme()) && request.getServerPort() == 80)
				|| ("https".equals(request.getScheme()) && request.getServerPort() == 443);
		String origin = request.getScheme() + "://" + host + (defaultPort ? "" : ":" + request.getServerPort());
		String rpId = (this.properties.rpId() != null) ? this.properties.rpId() : host;
		boolean hostUnderRpId = host.equals(rpId) || host.endsWith("." + rpId);
		boolean originAllowed = this.properties.allowedOrigins().isEmpty()
				|| this.properties.allowedOrigins().contains(origin);
		if (isIpAddress(host) || !hostUnderRpId || !originAllowed) {
			return Optional.empty();
		}
		return Optional.of(new RelyingParty(rpId, origin));
	}

	/**
	 * Starts registering a passkey for an account: the options for
	 * {@code navigator.credentials.create()}, and what to keep for
	 * {@link #finishRegistration}.
	 */
	public Ceremony<PendingRegistration> startRegistration(RelyingParty rp, Identity account, String displayName,
			boolean requireUserVerification) {
		PublicKeyCredentialUserEntity user = userEntity(account, displayName);
		PendingRegistration pending = new PendingRegistration(rp, account.realm(), account.id(),
				Bytes.random().toBase64UrlString(), user.getId().toBase64UrlString(), account.username(), displayName,
				requireUserVerification);
		PublicKeyCredentialCreationOptions options = creationOptions(pending);
		return new Ceremony<>(this.json.writeValueAsString(options), pending);
	}

	/**
	 * Checks the browser's answer to {@link #startRegistration} and stores the passkey.
	 * @throws PasskeyException when the answer is malformed or does not verify
	 */
	public PasskeyInfo finishRegistration(PendingRegistration pending, String credentialJson, String label) {
		String name = (label == null || label.isBlank()) ? "Passkey" : label.strip();
		if (name.length() > MAX_LABEL) {
			throw new PasskeyException("label-too-long");
		}
		RelyingPartyPublicKey publicKey;
		try {
			PublicKeyCredential<AuthenticatorAttestationResponse> credential = this.json
				.readValue(credentialJson, new TypeReference<>() {
				});
			publicKey = new RelyingPartyPublicKey(credential, name);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new PasskeyException("malformed", ex);
		}
		try {
			CredentialRecord record = verifier(pending.relyingParty())
				.registerCredential(new ImmutableRelyingPartyRegistrationRequest(creationOptions(pending), publicKey));
			return info(record);
		}
		catch (RuntimeException ex) {
			throw new PasskeyException("not-verified", ex);
		}
	}

	/**
	 * Starts a passkey login. With an account (a second factor) only that account's
	 * passkeys are offered; without one (passwordless) the browser offers any passkey it
	 * holds for this site, and user verification is then required.
	 */
	public Ceremony<PublicKeyCredentialRequestOptions> startAuthentication(RelyingParty rp, Identity account,
			boolean requireUserVerification) {
		List<PublicKeyCredentialDescriptor> allowed = (account != null) ? descriptors(account.realm(), account.id())
				: List.of();
		PublicKeyCredentialRequestOptions options = PublicKeyCredentialRequestOptions.builder()
			.challenge(Bytes.random())
			.rpId(rp.rpId())
			.timeout(CEREMONY_TIMEOUT)
			.allowCredentials(allowed)
			.userVerification(requireUserVerification ? UserVerificationRequirement.REQUIRED
					: UserVerificationRequirement.PREFERRED)
			.build();
		return new Ceremony<>(this.json.writeValueAsString(options), options);
	}

	/**
	 * Checks the browser's answer to {@link #startAuthentication}: the signature, the
	 * challenge, the origin, the signature counter, and that the passkey belongs to an
	 * account of {@code realm}.
	 * @return the account and whether the authenticator verified the person
	 * @throws PasskeyException when it does not verify
	 */
	public PasskeyLogin finishAuthentication(RelyingParty rp, String realm,
			PublicKeyCredentialRequestOptions options, String credentialJson) {
		PublicKeyCredential<AuthenticatorAssertionResponse> credential;
		try {
			credential = this.json.readValue(credentialJson, new TypeReference<>() {
			});
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new PasskeyException("malformed", ex);
		}
		PublicKeyCredentialUserEntity user;
		try {
			user = verifier(rp).authenticate(new RelyingPartyAuthenticationRequest(options, credential));
		}
		catch (RuntimeException ex) {
			throw new PasskeyException("not-verified", ex);
		}
		String prefix = realm + "/";
		if (!user.getName().startsWith(prefix)) {
			throw new PasskeyException("other-realm");
		}
		UUID accountId = UUID.fromString(user.getName().substring(prefix.length()));
		boolean userVerified = options.getUserVerification() == UserVerificationRequirement.REQUIRED;
		return new PasskeyLogin(accountId, userVerified, credential.getRawId().toBase64UrlString());
	}

	/** The account's passkeys, newest first. */
	public List<PasskeyInfo> list(String realm, UUID accountId) {
		PublicKeyCredentialUserEntity user = this.userEntities.findByUsername(entityName(realm, accountId));
		if (user == null) {
			return List.of();
		}
		return this.credentials.findByUserId(user.getId())
			.stream()
			.map(Passkeys::info)
			.sorted(Comparator.comparing(PasskeyInfo::created, Comparator.nullsLast(Comparator.reverseOrder())))
			.toList();
	}

	public boolean has(String realm, UUID accountId) {
		return !list(realm, accountId).isEmpty();
	}

	/** Removes one passkey of the account; false when it has no such passkey. */
	public boolean remove(String realm, UUID accountId, String credentialId) {
		boolean owned = list(realm, accountId).stream().anyMatch((passkey) -> passkey.id().equals(credentialId));
		if (owned) {
			this.credentials.delete(Bytes.fromBase64(credentialId));
		}
		return owned;
	}

	/** Removes every passkey of the account and its WebAuthn user entity (the account is deleted). */
	void removeAll(String realm, UUID accountId) {
		PublicKeyCredentialUserEntity user = this.userEntities.findByUsername(entityName(realm, accountId));
		if (user != null) {
			// its credentials go with it (on delete cascade)
			this.userEntities.delete(user.getId());
		}
	}

	private List<PublicKeyCredentialDescriptor> descriptors(String realm, UUID accountId) {
		PublicKeyCredentialUserEntity user = this.userEntities.findByUsername(entityName(realm, accountId));
		if (user == null) {
			return List.of();
		}
		return this.credentials.findByUserId(user.getId())
			.stream()
			.map((record) -> PublicKeyCredentialDescriptor.builder()
				.id(record.getCredentialId())
				.transports(record.getTransports())
				.build())
			.toList();
	}

	private PublicKeyCredentialUserEntity userEntity(Identity account, String displayName) {
		String name = entityName(account.realm(), account.id());
		PublicKeyCredentialUserEntity found = this.userEntities.findByUsername(name);
		if (found != null) {
			return found;
		}
		PublicKeyCredentialUserEntity created = ImmutablePublicKeyCredentialUserEntity.builder()
			.id(Bytes.random())
			.name(name)
			.displayName(displayName)
			.build();
		this.userEntities.save(created);
		return created;
	}

	/**
	 * The options of a registration, rebuilt the same for the browser and for the check.
	 * The browser is shown the username rather than the internal entity name.
	 */
	private PublicKeyCredentialCreationOptions creationOptions(PendingRegistration pending) {
		return PublicKeyCredentialCreationOptions.builder()
			.rp(PublicKeyCredentialRpEntity.builder().id(pending.relyingParty().rpId()).name("Hitotsu").build())
			.user(ImmutablePublicKeyCredentialUserEntity.builder()
				.id(Bytes.fromBase64(pending.userHandle()))
				.name(pending.username())
				.displayName(pending.displayName())
				.build())
			.challenge(Bytes.fromBase64(pending.challenge()))
			.pubKeyCredParams(PublicKeyCredentialParameters.ES256, PublicKeyCredentialParameters.EdDSA,
					PublicKeyCredentialParameters.RS256)
			.authenticatorSelection(AuthenticatorSelectionCriteria.builder()
				.residentKey(ResidentKeyRequirement.REQUIRED)
				.userVerification(pending.requireUserVerification() ? UserVerificationRequirement.REQUIRED
						: UserVerificationRequirement.PREFERRED)
				.build())
			.attestation(AttestationConveyancePreference.NONE)
			// an authenticator that already holds a passkey of the account is not asked twice
			.excludeCredentials(descriptors(pending.realm(), pending.accountId()))
			.timeout(CEREMONY_TIMEOUT)
			.build();
	}

	private Webauthn4JRelyingPartyOperations verifier(RelyingParty rp) {
		return this.verifiers.computeIfAbsent(rp,
				(key) -> new Webauthn4JRelyingPartyOperations(this.userEntities, this.credentials,
						PublicKeyCredentialRpEntity.builder().id(key.rpId()).name("Hitotsu").build(),
						Set.of(key.origin())));
	}

	private static PasskeyInfo info(CredentialRecord record) {
		return new PasskeyInfo(record.getCredentialId().toBase64UrlString(), record.getLabel(), record.getCreated(),
				record.getLastUsed(), record.isBackupEligible());
	}

	private static String entityName(String realm, UUID accountId) {
		return realm + "/" + accountId;
	}

	private static boolean isIpAddress(String host) {
		return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
	}

	/** The domain passkeys are bound to and the origin of the page using them. */
	public record RelyingParty(String rpId, String origin) implements Serializable {
	}

	/** Options for the browser (JSON) and what the server keeps until the answer. */
	public record Ceremony<T>(String optionsJson, T pending) {
	}

	/** A registration in progress; serializable, as it waits in the session. */
	public record PendingRegistration(RelyingParty relyingParty, String realm, UUID accountId, String challenge,
			String userHandle, String username, String displayName, boolean requireUserVerification)
			implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

	/** A passkey as its owner sees it. */
	public record PasskeyInfo(String id, String label, Instant created, Instant lastUsed, boolean synced) {
	}

	/** A verified passkey login. */
	public record PasskeyLogin(UUID accountId, boolean userVerified, String credentialId) {
	}

	/** A passkey answer that was malformed or did not verify; the reason is a message key. */
	public static class PasskeyException extends RuntimeException {

		public PasskeyException(String reason) {
			super(reason);
		}

		public PasskeyException(String reason, Throwable cause) {
			super(reason, cause);
		}

		public String reason() {
			return getMessage();
		}

	}

}
