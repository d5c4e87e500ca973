-- Owned by the keys package. Private keys are stored only as JWE (dir, A256GCM) under
-- the process's master key, which is never stored in this database.
create table signing_key (
    kid                   varchar(64) primary key,
    realm                 varchar(64) not null references realm (name),
    algorithm             varchar(16) not null,
    status                varchar(16) not null check (status in ('ACTIVE', 'RETIRED')),
    public_jwk            text        not null,
    private_jwk_encrypted text        not null,
    created_at            timestamptz not null default now(),
    retired_at            timestamptz
);
create index signing_key_realm_ix on signing_key (realm, status);
-- at most one active key per realm and algorithm
create unique index signing_key_active_uk on signing_key (realm, algorithm) where status = 'ACTIVE';
