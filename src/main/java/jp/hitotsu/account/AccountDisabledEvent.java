package jp.hitotsu.account;

/**
 * An account was disabled. Published inside the transaction that disables it, so features
 * holding what the account was granted (grants, refresh tokens, consents) end it in the
 * same transaction.
 *
 * @param subject the account's id, the {@code sub} of its tokens
 */
public record AccountDisabledEvent(String realm, String subject) {
}
