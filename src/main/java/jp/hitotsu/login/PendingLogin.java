package jp.hitotsu.login;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import jp.hitotsu.realm.AssuranceLevel;

/**
 * A login to one realm that has started but is not complete: the account is known and
 * some factors are proven, others (a second factor, an enrolment, a new password) are
 * still due. Kept in the browser's session per realm; nothing is issued on it.
 *
 * @param realm the realm being logged in to
 * @param subject the account's opaque id
 * @param username the login name, for display
 * @param factors the factors proven so far in this login
 * @param requiredLevel the assurance level ({@code aal1}..{@code aal3}) the login must
 * reach before it completes
 * @param passwordChangeRequired the password was a temporary one: a new one is due first
 * @param startedAt when the first factor was proven
 * @param sessionId the realm session this login continues (a step-up), or {@code null}
 * for a new one
 * @param factorFailures wrong second factors so far
 * @param upstreamLevel the level a login at an upstream provider proved, or {@code null}
 * when the login did not come through one
 */
public record PendingLogin(String realm, String subject, String username, Set<Factor> factors, String requiredLevel,
		boolean passwordChangeRequired, Instant startedAt, String sessionId, int factorFailures,
		AssuranceLevel upstreamLevel)
		implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	public PendingLogin {
		factors = factors.isEmpty() ? EnumSet.noneOf(Factor.class) : EnumSet.copyOf(factors);
	}

	PendingLogin with(Factor factor) {
		EnumSet<Factor> proven = EnumSet.noneOf(Factor.class);
		proven.addAll(this.factors);
		proven.add(factor);
		return new PendingLogin(this.realm, this.subject, this.username, proven, this.requiredLevel,
				this.passwordChangeRequired, this.startedAt, this.sessionId, this.factorFailures, this.upstreamLevel);
	}

	PendingLogin withPasswordChanged() {
		return new PendingLogin(this.realm, this.subject, this.username, this.factors, this.requiredLevel, false,
				this.startedAt, this.sessionId, this.factorFailures, this.upstreamLevel);
	}

	PendingLogin withFailure() {
		return new PendingLogin(this.realm, this.subject, this.username, this.factors, this.requiredLevel,
				this.passwordChangeRequired, this.startedAt, this.sessionId, this.factorFailures + 1, this.upstreamLevel);
	}

	/** The level this login must reach. */
	public AssuranceLevel level() {
		return AssuranceLevel.fromKey(this.requiredLevel).orElseThrow();
	}

	/** The account's id. */
	public UUID accountId() {
		return UUID.fromString(this.subject);
	}

}
