package jp.hitotsu.provisioning;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A bundle was not applied, and why; nothing changed. The message key is
 * {@code bundle.refused.<reason>} with the realm first among its arguments.
 */
public class BundleRefusedException extends RuntimeException {

	private final Reason reason;

	private final String realm;

	private final List<Object> arguments;

	private final List<BundleProblem> problems;

	BundleRefusedException(Reason reason, String realm, List<BundleProblem> problems, Object... details) {
		super("Bundle for realm '" + realm + "' refused: " + reason.key() + " " + Arrays.toString(details));
		this.reason = reason;
		this.realm = realm;
		Object[] arguments = new Object[details.length + 1];
		arguments[0] = realm;
		System.arraycopy(details, 0, arguments, 1, details.length);
		this.arguments = Arrays.asList(arguments);
		this.problems = List.copyOf(problems);
	}

	BundleRefusedException(Reason reason, String realm, Object... details) {
		this(reason, realm, List.of(), details);
	}

	public Reason reason() {
		return this.reason;
	}

	public String realm() {
		return this.realm;
	}

	public String messageKey() {
		return "bundle.refused." + this.reason.key();
	}

	/** The message's arguments: the realm, then what the reason names. */
	public Object[] arguments() {
		return this.arguments.toArray();
	}

	/** What is wrong inside the bundle, line by line ({@link Reason#INVALID_CONTENT}). */
	public List<BundleProblem> problems() {
		return this.problems;
	}

	/** Why a bundle is refused. */
	public enum Reason {

		/** The realm is not configured to accept bundles. */
		NOT_ACCEPTED,
		/** A key the realm is configured to trust cannot be read or is not a public P-256 key. */
		TRUSTED_KEY_UNUSABLE,
		/** Larger than {@code hitotsu.bundles.max-size}, or more accounts than allowed. */
		TOO_LARGE,
		/** The file ends before the end of its signature. */
		TRUNCATED,
		/** Not a compact JWS of this format. */
		MALFORMED,
		/** Signed with a key the realm does not trust. */
		UNTRUSTED_KEY,
		/** The signature does not verify: changed after signing, or signed by another key. */
		SIGNATURE_INVALID,
		/** Not newer than the last bundle applied from the same key. */
		REPLAYED,
		/** Signed and new, but its lines cannot be applied. */
		INVALID_CONTENT;

		public String key() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

}
