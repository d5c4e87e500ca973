package jp.hitotsu.directory;

import java.util.UUID;

/** A transfer batch is not in a state that allows what was asked (e.g. cancelling an applied one). */
public class TransferStateException extends RuntimeException {

	private final UUID batch;

	private final String status;

	TransferStateException(UUID batch, String status) {
		super("Transfer batch " + batch + " is " + status);
		this.batch = batch;
		this.status = status;
	}

	public UUID batch() {
		return this.batch;
	}

	public String status() {
		return this.status;
	}

}
