package jp.hitotsu.directory;

import java.util.Locale;

/** How a person holds a post. */
public enum AssignmentKind {

	/** The one post a person belongs to (本務): their {@code org}. */
	PRIMARY,
	/** A post held beside the primary one (兼務). */
	CONCURRENT,
	/** A post held in someone's place for a while (事務取扱・代理). */
	ACTING;

	String key() {
		return name().toLowerCase(Locale.ROOT);
	}

}
