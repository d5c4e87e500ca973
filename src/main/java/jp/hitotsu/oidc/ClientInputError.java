package jp.hitotsu.oidc;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One thing wrong with a client given to the admin API, for the caller to show in its
 * language: {@code code} names the message ({@code client.error.<code>}), {@code arguments}
 * fill it.
 */
public record ClientInputError(String field, String code, List<Object> arguments) {

	public static ClientInputError of(String field, String code, Object... arguments) {
		return new ClientInputError(field, code, Collections.unmodifiableList(Arrays.asList(arguments)));
	}

}
