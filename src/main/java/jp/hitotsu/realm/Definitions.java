package jp.hitotsu.realm;

import java.util.List;
import java.util.Objects;

/** Checks shared by the realm definition records; a failure names the field. */
final class Definitions {

	private Definitions() {
	}

	static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	static <T> List<T> listOrEmpty(List<T> list) {
		return (list != null) ? List.copyOf(list.stream().filter(Objects::nonNull).toList()) : List.of();
	}

}
