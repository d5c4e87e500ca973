package jp.hitotsu.oidc;

import java.util.List;

/** A client given to the admin API is refused, for every reason listed; nothing changed. */
public class InvalidClientInputException extends RuntimeException {

	private final List<ClientInputError> errors;

	InvalidClientInputException(List<ClientInputError> errors) {
		super(errors.size() + " errors, the first: " + errors.get(0));
		this.errors = List.copyOf(errors);
	}

	public List<ClientInputError> errors() {
		return this.errors;
	}

}
