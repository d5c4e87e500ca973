package jp.hitotsu.keys;

import org.springframework.stereotype.Service;

/**
 * Encrypts small secrets other features keep at rest (TOTP seeds) under the zone's master
 * key. Each sealed value names what it belongs to, so a value copied to another row does
 * not open there.
 */
@Service
public class SealedSecrets {

	private final MasterKey masterKey;

	SealedSecrets(MasterKey masterKey) {
		this.masterKey = masterKey;
	}

	/** @param owner what the secret belongs to, e.g. {@code totp:<account id>} */
	public String seal(String secret, String owner) {
		return this.masterKey.encrypt(secret, owner);
	}

	public String open(String sealed, String owner) {
		return this.masterKey.decrypt(sealed, owner);
	}

	/**
	 * A keyed one-way pseudonym of a value (HMAC-SHA-256 under a key derived from the
	 * master key, base64url): the same value always gives the same pseudonym, so records
	 * about one person still belong together, but nobody without the master key can tell
	 * whose they are, or test a guess.
	 * @param purpose what the pseudonym is for, so one value gets different pseudonyms in
	 * different uses
	 */
	public String pseudonym(String purpose, String value) {
		return this.masterKey.pseudonym(purpose, value);
	}

}
