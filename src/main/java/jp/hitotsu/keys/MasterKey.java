package jp.hitotsu.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key given to the process that encrypts secrets at rest (signing keys). Encryption is
 * JWE with direct A256GCM (Nimbus): the header is authenticated, and it names what the
 * ciphertext belongs to, so a blob copied to another row does not decrypt there.
 */
final class MasterKey {

	private static final Logger logger = LoggerFactory.getLogger(MasterKey.class);

	private static final String BOUND_TO = "hitotsu-bound-to";

	private static final String HMAC = "HmacSHA256";

	private final SecretKey key;

	private final String keyId;

	MasterKey(byte[] keyBytes) {
		if (keyBytes.length != 32) {
			throw new IllegalStateException(
					"The master key must be 32 bytes (256 bits) in base64; it has " + keyBytes.length + " bytes");
		}
		this.key = new SecretKeySpec(keyBytes, "AES");
		try {
			this.keyId = new OctetSequenceKey.Builder(keyBytes).build().computeThumbprint().toString().substring(0, 16);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The key from the environment or a file; on the embedded default only, a new key is
	 * generated into the zone's data directory. With an external database the operator
	 * must give one: a generated key beside a shared database would be lost with the pod.
	 */
	static MasterKey load(KeyProperties properties, Path generatedKeyFile, boolean mayGenerate) {
		if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
			return new MasterKey(decode(properties.masterKey(), "hitotsu.keys.master-key"));
		}
		Path file = properties.masterKeyFile();
		if (file == null && mayGenerate) {
			file = generatedKeyFile;
			if (!Files.exists(file)) {
				generate(file);
			}
		}
		if (file == null) {
			throw new IllegalStateException("No master key: set HITOTSU_KEYS_MASTER_KEY (32 random bytes in base64,"
					+ " e.g. from 'openssl rand -base64 32') or hitotsu.keys.master-key-file. An external database"
					+ " never gets a generated key.");
		}
		try {
			return new MasterKey(decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the master key file " + file.toAbsolutePath(), ex);
		}
	}

	private static void generate(Path file) {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		try {
			Files.createDirectories(file.getParent());
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write a new master key to " + file.toAbsolutePath(), ex);
		}
		logger.warn("Generated a new master key in {} (owner-only permissions). It protects this zone's signing keys:"
				+ " back it up, and in production give the key through HITOTSU_KEYS_MASTER_KEY instead of a file"
				+ " beside the data.", file.toAbsolutePath());
	}

	private static byte[] decode(String base64, String source) {
		try {
			return Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("The master key in " + source + " is not base64", ex);
		}
	}

	/**
	 * HMAC-SHA-256 of the value under a key of its own, derived from the master key as
	 * HMAC-SHA-256(master key, purpose): the AES key itself never keys a MAC.
	 */
	String pseudonym(String purpose, String value) {
		try {
			Mac derivation = Mac.getInstance(HMAC);
			derivation.init(new SecretKeySpec(this.key.getEncoded(), HMAC));
			byte[] derived = derivation.doFinal(("hitotsu-pseudonym:" + purpose).getBytes(StandardCharsets.UTF_8));
			Mac mac = Mac.getInstance(HMAC);
			mac.init(new SecretKeySpec(derived, HMAC));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is missing from the JDK", ex);
		}
	}

	public String encrypt(String plaintext, String boundTo) {
		JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(this.keyId)
			.customParam(BOUND_TO, boundTo)
			.build();
		JWEObject jwe = new JWEObject(header, new Payload(plaintext));
		try {
			jwe.encrypt(new DirectEncrypter(this.key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Encryption under the master key failed", ex);
		}
		return jwe.serialize();
	}

	public String decrypt(String compactJwe, String boundTo) {
		try {
			JWEObject jwe = JWEObject.parse(compactJwe);
			if (!this.keyId.equals(jwe.getHeader().getKeyID())) {
				throw new IllegalStateException("A secret for '" + boundTo + "' was encrypted under master key "
						+ jwe.getHeader().getKeyID() + ", but this process has master key " + this.keyId
						+ ": start it with the master key the data was created with");
			}
			if (!boundTo.equals(jwe.getHeader().getCustomParam(BOUND_TO))) {
				throw new IllegalStateException("The encrypted secret stored for '" + boundTo + "' belongs to '"
						+ jwe.getHeader().getCustomParam(BOUND_TO) + "'");
			}
			jwe.decrypt(new DirectDecrypter(this.key));
			return jwe.getPayload().toString();
		}
		catch (ParseException | JOSEException ex) {
			throw new IllegalStateException("Cannot decrypt the secret stored for '" + boundTo + "'", ex);
		}
	}

}
