-- Owned by the audit package: deleting an account pseudonymises the events without a
-- subject that carry its username (failed logins typed with it); this finds them without
-- reading the realm's whole trail. Concurrently, outside a transaction (V92's .conf): the
-- table is large and written by every login.
create index concurrently if not exists audit_event_username_ix on audit_event (realm, lower(username))
    where subject is null;
