package jp.hitotsu.realm;

import java.nio.file.Path;

/**
 * A realm file that cannot be used. The message names the file, the line (when known)
 * and what is wrong, so an operator can fix it without reading a stack trace.
 */
public class RealmDefinitionException extends RuntimeException {

	private final Path file;

	private final int line;

	public RealmDefinitionException(Path file, int line, String problem) {
		super(file + ((line > 0) ? ", line " + line : "") + ": " + problem);
		this.file = file;
		this.line = line;
	}

	public Path file() {
		return this.file;
	}

	public int line() {
		return this.line;
	}

}
