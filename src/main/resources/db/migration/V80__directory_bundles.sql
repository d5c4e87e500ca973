-- Owned by the provisioning package: one-way directory bundles (docs/directory-bundles.md).

-- The exporting zone's bundle-signing key: one per database (one zone), made on first use.
-- The private JWK is sealed under the master key; sequence counts the bundles it signed.
create table bundle_signing_key (
    id           smallint    primary key check (id = 1),
    kid          varchar(64) not null,
    public_jwk   text        not null,
    sealed_jwk   text        not null,
    sequence     bigint      not null default 0,
    created_at   timestamptz not null
);

-- The last bundle applied into a realm from one source key: a bundle whose sequence is not
-- above it is a replay.
create table bundle_import (
    realm         varchar(64) not null references realm (name),
    key_id        varchar(64) not null,
    sequence      bigint      not null,
    exported_at   timestamptz not null,
    applied_at    timestamptz not null,
    primary key (realm, key_id)
);

-- Which accounts of the importing realm came from which source account: a full bundle
-- disables those of its source key that it no longer lists, and nobody else. An account
-- not activated yet may get a new activation code.
create table bundle_account (
    account_id    uuid         primary key references account (id) on delete cascade,
    realm         varchar(64)  not null references realm (name),
    key_id        varchar(64)  not null,
    source_id     varchar(255) not null,
    activated_at  timestamptz,
    unique (realm, key_id, source_id)
);

-- One-time activation codes of imported accounts: only the SHA-256 of the code is kept;
-- single use, expiring, dropped after too many wrong tries.
create table activation_code (
    account_id  uuid        primary key references account (id) on delete cascade,
    realm       varchar(64) not null references realm (name),
    code_hash   bytea       not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    failures    integer     not null default 0
);
