package jp.hitotsu.realm;

/** No realm of that name is served by this process. */
public class UnknownRealmException extends RuntimeException {

	public UnknownRealmException(String name) {
		super("No realm '" + name + "' is served here");
	}

}
