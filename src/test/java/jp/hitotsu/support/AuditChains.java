package jp.hitotsu.support;

import java.time.Duration;

import jp.hitotsu.audit.AuditChain;
import jp.hitotsu.audit.AuditTrail;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for a realm's audit chain in tests. */
public final class AuditChains {

	private AuditChains() {
	}

	/** Seals until every event of the realm is chained (other transactions may hold it back a moment). */
	public static void awaitSealed(AuditChain chain, AuditTrail audit, String realm) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			audit.flush();
			chain.sealAll();
			if (chain.verify(realm, null).unsealed() == 0) {
				return;
			}
			assertThat(System.nanoTime()).as("events of " + realm + " sealed").isLessThan(deadline);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
