package jp.hitotsu.account;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import jp.hitotsu.cluster.CacheInvalidations;
import jp.hitotsu.cluster.CacheProperties;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The accounts that tokens name, in memory: every UserInfo call, refresh and code exchange
 * reads the account behind its token (is it still enabled, what are its claims now), and
 * reading it from PostgreSQL was a third of a UserInfo call's CPU.
 *
 * <p>
 * A change reaches every replica through {@link CacheInvalidations}: triggers on
 * {@code account} and {@code account_role} (V200) notify on every update and delete,
 * whichever statement made it (the consoles, SCIM, a transfer batch, an operator's SQL),
 * when its transaction commits. The account package's own writes also drop their entry in
 * this process at commit ({@link #changed}), so a change is visible here at once rather than
 * a notification's round trip later. While the listening connection is broken (the
 * database is down or out of reach) nothing is answered from memory, and once it listens
 * again everything is dropped; an entry is also read again after
 * {@code hitotsu.cache.refresh} whatever happens, the bound for a notification lost on a
 * connection that failed unnoticed.
 *
 * <p>
 * Only reads outside a transaction use it: a read inside one may see that transaction's own
 * uncommitted writes, which must not outlive a rollback in memory.
 */
@Component
class AccountCache {

	/** The topic of the notifications; its keys are account ids, or {@code *} for all. */
	static final String TOPIC = "account";

	private final Cache<UUID, Identity> accounts;

	private final CacheInvalidations invalidations;

	AccountCache(CacheInvalidations invalidations, CacheProperties properties) {
		this.invalidations = invalidations;
		this.accounts = Caffeine.newBuilder()
			.maximumSize(properties.accountEntries())
			.expireAfterWrite(properties.refresh())
			.build();
		invalidations.subscribe(TOPIC, this::forget, this.accounts::invalidateAll);
	}

	/**
	 * The realm's account with this id: from memory, or from {@code load} (and then kept)
	 * outside a transaction; always from {@code load} inside one, and while this process does
	 * not hear changes (its listening connection broke: the database is down or out of
	 * reach), so memory never answers for what may have changed unheard. A notification that
	 * arrives while the account is being loaded waits for the load and then drops it, so a
	 * value read before a change is never kept after it.
	 */
	Optional<Identity> find(String realm, UUID id, Supplier<Optional<Identity>> load) {
		if (TransactionSynchronizationManager.isActualTransactionActive() || !this.invalidations.hearing()) {
			return load.get();
		}
		Identity identity = this.accounts.get(id, (key) -> load.get().orElse(null));
		return Optional.ofNullable(identity).filter((found) -> found.realm().equals(realm));
	}

	/** The account changed in the caller's transaction: drop it here when that commits. */
	void changed(UUID id) {
		this.invalidations.tellThisProcess(TOPIC, id.toString());
	}

	private void forget(String id) {
		try {
			this.accounts.invalidate(UUID.fromString(id));
		}
		catch (IllegalArgumentException ex) {
			// not an id: a notification of a later release's shape; drop everything to be safe
			this.accounts.invalidateAll();
		}
	}

}
