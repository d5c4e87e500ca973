package jp.hitotsu.directory;

/**
 * The realm's directory has no such entry.
 * @param kind {@code unit}, {@code assignment}, {@code role-rule}, {@code role-grant} or {@code staff}
 */
public class UnknownDirectoryEntryException extends RuntimeException {

	private final String realm;

	private final String kind;

	private final String key;

	UnknownDirectoryEntryException(String realm, String kind, String key) {
		super("Realm '" + realm + "' has no " + kind + " '" + key + "'");
		this.realm = realm;
		this.kind = kind;
		this.key = key;
	}

	public String realm() {
		return this.realm;
	}

	public String kind() {
		return this.kind;
	}

	public String key() {
		return this.key;
	}

}
