package jp.hitotsu.realm;

import java.util.Arrays;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A network segment with its own trust level. One process serves exactly one zone.
 */
public enum Zone {

	/** Internet-connected segment (インターネット接続系). */
	INTERNET("internet"),
	/** LGWAN-connected segment (LGWAN接続系). */
	LGWAN("lgwan"),
	/** The separated My Number segment (個人番号利用事務系). */
	MYNUMBER("mynumber");

	private final String id;

	Zone(String id) {
		this.id = id;
	}

	@JsonValue
	public String id() {
		return this.id;
	}

	@JsonCreator
	public static Zone of(String value) {
		for (Zone zone : values()) {
			if (zone.id.equalsIgnoreCase(value) || zone.name().equalsIgnoreCase(value)) {
				return zone;
			}
		}
		throw new IllegalArgumentException("unknown zone '" + value + "'; expected one of "
				+ Arrays.stream(values()).map(Zone::id).collect(Collectors.joining(", ")));
	}

}
