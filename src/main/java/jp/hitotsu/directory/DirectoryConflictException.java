package jp.hitotsu.directory;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A change of the directory refused because of what the directory holds (a unit still
 * occupied after the date it is to close, for example): {@code code} names the message
 * ({@code directory.conflict.<code>}), {@code arguments} fill it, {@code conflicts} lists
 * what stands in the way (employee numbers, unit codes, rule ids).
 */
public class DirectoryConflictException extends RuntimeException {

	private final String code;

	private final List<Object> arguments;

	private final List<String> conflicts;

	DirectoryConflictException(String code, List<String> conflicts, Object... arguments) {
		super(code + " " + Arrays.toString(arguments) + ": " + conflicts);
		this.code = code;
		this.arguments = Collections.unmodifiableList(Arrays.asList(arguments));
		this.conflicts = List.copyOf(conflicts);
	}

	public String code() {
		return this.code;
	}

	public List<Object> arguments() {
		return this.arguments;
	}

	public List<String> conflicts() {
		return this.conflicts;
	}

}
