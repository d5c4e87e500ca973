package jp.hitotsu.directory;

import java.util.Locale;

/** The levels of the organisation tree, from the top. */
public enum UnitKind {

	/** 局 */
	BUREAU,
	/** 部 */
	DEPARTMENT,
	/** 課 */
	SECTION,
	/** 係 */
	UNIT;

	String key() {
		return name().toLowerCase(Locale.ROOT);
	}

}
