package jp.hitotsu.account;

import java.security.SecureRandom;

/**
 * Temporary passwords an administrator hands over (read aloud, typed from a note): 20
 * characters of an alphabet without look-alikes (no 0/o, 1/l/i), in groups of five, about
 * 99 bits of entropy; far beyond guessing in the time before its owner replaces it.
 */
final class TemporaryPasswords {

	private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

	private static final int GROUPS = 4;

	private static final int GROUP_LENGTH = 5;

	private static final SecureRandom RANDOM = new SecureRandom();

	private TemporaryPasswords() {
	}

	static String generate() {
		StringBuilder password = new StringBuilder(GROUPS * (GROUP_LENGTH + 1));
		for (int group = 0; group < GROUPS; group++) {
			if (group > 0) {
				password.append('-');
			}
			for (int i = 0; i < GROUP_LENGTH; i++) {
				password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
			}
		}
		return password.toString();
	}

}
