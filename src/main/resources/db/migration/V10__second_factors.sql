-- Owned by the account package: the second factors of accounts.

-- An RFC 6238 authenticator. The seed is sealed under the zone's master key. A code's
-- time step is recorded when used, and only a later step is accepted next (no replay).
create table totp_authenticator (
    account_id     uuid        primary key references account (id) on delete cascade,
    sealed_secret  text        not null,
    confirmed_at   timestamptz,
    last_used_step bigint      not null default 0,
    created_at     timestamptz not null default now()
);

-- Single-use recovery codes, stored as SHA-256 hashes (they are random, not passwords).
create table recovery_code (
    account_id uuid        not null references account (id) on delete cascade,
    code_hash  bytea       not null,
    used_at    timestamptz,
    primary key (account_id, code_hash)
);

-- Passkeys, in the tables Spring Security's JDBC WebAuthn repositories use
-- (org/springframework/security/user-*-schema.sql), adapted to PostgreSQL. A user
-- entity's name is "<realm>/<account id>", so one account's passkeys are its own.
create table user_entities (
    id           varchar(1000) not null primary key,
    name         varchar(200)  not null,
    display_name varchar(255)
);
create unique index user_entities_name_uk on user_entities (name);

create table user_credentials (
    credential_id                varchar(1000) not null primary key,
    user_entity_user_id          varchar(1000) not null references user_entities (id) on delete cascade,
    public_key                   bytea         not null,
    signature_count              bigint,
    uv_initialized               boolean,
    backup_eligible              boolean       not null,
    authenticator_transports     varchar(1000),
    public_key_credential_type   varchar(100),
    backup_state                 boolean       not null,
    attestation_object           bytea,
    attestation_client_data_json bytea,
    created                      timestamp,
    last_used                    timestamp,
    label                        varchar(1000) not null
);
create index user_credentials_user_ix on user_credentials (user_entity_user_id);
