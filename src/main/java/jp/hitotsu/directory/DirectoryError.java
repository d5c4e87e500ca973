package jp.hitotsu.directory;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One thing wrong with what was given to the directory, for the caller to show in its
 * language: {@code code} names the message ({@code directory.error.<code>}),
 * {@code arguments} fill it.
 *
 * @param line the line of an uploaded file, or {@code null} for a field of a request
 * @param field the field or column
 */
public record DirectoryError(Integer line, String field, String code, List<Object> arguments) {

	static DirectoryError field(String field, String code, Object... arguments) {
		return new DirectoryError(null, field, code, Collections.unmodifiableList(Arrays.asList(arguments)));
	}

	/** The same error about another field (or column). */
	DirectoryError withField(String other) {
		return new DirectoryError(this.line, other, this.code, this.arguments);
	}

	static DirectoryError line(int line, String field, String code, Object... arguments) {
		return new DirectoryError(line, field, code, Collections.unmodifiableList(Arrays.asList(arguments)));
	}

}
