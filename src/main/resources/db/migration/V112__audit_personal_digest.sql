-- Owned by the audit package: the chain's canonical form v2 (docs/audit.md) commits to an
-- event's personal fields (subject, username, address, user agent, session, details)
-- through a salted digest kept in the row, so a deleted account's events can lose those
-- fields (and the salt) and still verify. The sealer writes all three; rows sealed before
-- have none (chain_version null: form v1). Nullable columns without defaults: no rewrite.
alter table audit_event add column chain_version smallint;
alter table audit_event add column personal_salt bytea;
alter table audit_event add column personal_digest bytea;
