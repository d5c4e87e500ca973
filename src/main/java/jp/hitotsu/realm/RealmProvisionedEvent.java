package jp.hitotsu.realm;

/**
 * Published at startup for each realm file of this zone, after the realm itself is
 * stored. Each feature creates or updates its part (clients, initial accounts, keys)
 * synchronously, so the server is ready when startup ends.
 */
public record RealmProvisionedEvent(RealmDefinition definition) {
}
