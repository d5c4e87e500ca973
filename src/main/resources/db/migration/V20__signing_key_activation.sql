-- Owned by the keys package. Publish first, sign later: a rotated key is stored as
-- PUBLISHED (in every replica's JWKS, not signing yet) with the time from which it may
-- sign; the key that signs for an algorithm is the newest one whose time has come.
-- Expand-only: a server of the previous version keeps working on this schema (it never
-- sees PUBLISHED keys, and the default fills activates_at for the keys it creates).
alter table signing_key add column activates_at timestamptz;
update signing_key set activates_at = created_at;
alter table signing_key alter column activates_at set default now();
alter table signing_key alter column activates_at set not null;
alter table signing_key drop constraint signing_key_status_check;
alter table signing_key add constraint signing_key_status_check
    check (status in ('PUBLISHED', 'ACTIVE', 'RETIRED'));
