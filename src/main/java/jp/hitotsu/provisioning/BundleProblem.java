package jp.hitotsu.provisioning;

import java.util.Arrays;
import java.util.List;

/**
 * One thing wrong inside a bundle, for the caller to show in its language.
 *
 * @param line the line of the bundle's payload (1 is the header), {@code null} for the
 * bundle as a whole
 * @param field the field of that line, when one is to blame
 * @param messageKey the message ({@code bundle.error.*}, or {@code directory.error.*} for
 * what the directory refused)
 */
public record BundleProblem(Integer line, String field, String messageKey, List<Object> arguments) {

	public BundleProblem {
		arguments = List.copyOf(arguments);
	}

	static BundleProblem at(int line, String field, String code, Object... arguments) {
		return new BundleProblem(line, field, "bundle.error." + code, Arrays.asList(arguments));
	}

}
