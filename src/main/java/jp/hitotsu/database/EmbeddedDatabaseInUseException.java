package jp.hitotsu.database;

import java.nio.file.Path;

/** Another running process holds the embedded database's data directory. */
class EmbeddedDatabaseInUseException extends IllegalStateException {

	EmbeddedDatabaseInUseException(Path dataDir, Throwable cause) {
		super("The embedded database directory " + dataDir.toAbsolutePath()
				+ " is in use by another running Hitotsu process", cause);
	}

}
