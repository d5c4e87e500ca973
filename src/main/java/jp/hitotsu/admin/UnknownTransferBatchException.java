package jp.hitotsu.admin;

import java.util.UUID;

/** The realm has no transfer batch with that id. */
class UnknownTransferBatchException extends RuntimeException {

	private final String realm;

	private final UUID id;

	UnknownTransferBatchException(String realm, UUID id) {
		super("Realm '" + realm + "' has no transfer batch " + id);
		this.realm = realm;
		this.id = id;
	}

	String realm() {
		return this.realm;
	}

	UUID id() {
		return this.id;
	}

}
