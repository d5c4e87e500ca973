package jp.hitotsu.realm;

import java.util.Optional;

/**
 * The realm of the request being served, set by {@link RealmResolutionFilter} for every
 * request under {@code /realms/{name}/}. The authorization server's strategy interfaces
 * (client repository, authorization service, key source) have no request parameter; they
 * read the realm from here so that each realm sees only its own clients, tokens and keys.
 */
public final class RealmContext {

	private static final ThreadLocal<Realm> CURRENT = new ThreadLocal<>();

	private RealmContext() {
	}

	public static Optional<Realm> current() {
		return Optional.ofNullable(CURRENT.get());
	}

	/** The current realm; fails when called outside a realm's request. */
	public static Realm require() {
		Realm realm = CURRENT.get();
		if (realm == null) {
			throw new IllegalStateException("No realm is bound to this request");
		}
		return realm;
	}

	/** Runs the action with the realm bound, restoring what was bound before. */
	public static <T> T callIn(Realm realm, java.util.function.Supplier<T> action) {
		Realm previous = CURRENT.get();
		CURRENT.set(realm);
		try {
			return action.get();
		}
		finally {
			restore(previous);
		}
	}

	static void set(Realm realm) {
		CURRENT.set(realm);
	}

	static void restore(Realm previous) {
		if (previous == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(previous);
		}
	}

}
