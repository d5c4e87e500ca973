-- Owned by the oidc package.
create table oauth_client (
    id          varchar(64) primary key,
    realm       varchar(64)  not null references realm (name),
    client_id   varchar(255) not null,
    secret_hash varchar(512),
    settings    jsonb        not null,
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now(),
    unique (realm, client_id)
);

-- One row per grant: the authorization server's whole authorization object, serialised.
-- Tokens are found through oauth_token by the SHA-256 of their value: one indexed lookup,
-- and no token value is stored in the clear.
create table oauth_authorization (
    id                   varchar(64) primary key,
    realm                varchar(64)  not null references realm (name),
    registered_client_id varchar(64)  not null,
    principal_name       varchar(255) not null,
    grant_type           varchar(128) not null,
    -- the realm login session it was granted in (login.RealmPrincipal.sessionId); logout ends them
    session_id           varchar(64),
    data                 bytea        not null,
    version              integer      not null,
    expires_at           timestamptz  not null,
    created_at           timestamptz  not null default now()
);
create index oauth_authorization_expires_ix on oauth_authorization (expires_at);
create index oauth_authorization_principal_ix on oauth_authorization (realm, principal_name);
create index oauth_authorization_session_ix on oauth_authorization (realm, session_id);

create table oauth_token (
    token_hash       bytea primary key,
    authorization_id varchar(64) not null references oauth_authorization (id) on delete cascade,
    token_type       varchar(32) not null,
    -- a refresh token replaced by rotation: presenting it again revokes its whole family
    rotated          boolean     not null default false
);
create index oauth_token_authorization_ix on oauth_token (authorization_id);

create table oauth_consent (
    registered_client_id varchar(64)  not null,
    principal_name       varchar(255) not null,
    realm                varchar(64)  not null references realm (name),
    authorities          text         not null,
    primary key (registered_client_id, principal_name)
);
