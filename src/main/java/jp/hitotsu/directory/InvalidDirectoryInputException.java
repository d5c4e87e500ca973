package jp.hitotsu.directory;

import java.util.List;

/** What was given to the directory is refused, for every reason listed; nothing changed. */
public class InvalidDirectoryInputException extends RuntimeException {

	private final List<DirectoryError> errors;

	InvalidDirectoryInputException(List<DirectoryError> errors) {
		super(errors.size() + " errors, the first: " + errors.get(0));
		this.errors = List.copyOf(errors);
	}

	public List<DirectoryError> errors() {
		return this.errors;
	}

}
