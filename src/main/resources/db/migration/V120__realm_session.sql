-- Owned by the session package: the login sessions of each realm, the clients that got
-- tokens in each (they are told when it ends), and the logout tokens waiting to be sent.

create table realm_session (
    realm        varchar(64)  not null references realm (name),
    -- login.RealmPrincipal.sessionId: never leaves the server
    session_id   varchar(64)  not null,
    -- the ID tokens' and logout tokens' sid (base64url SHA-256 of session_id)
    sid          varchar(64)  not null,
    subject      varchar(255) not null,
    username     varchar(255),
    started_at   timestamptz  not null,
    -- the latest authentication in it (a step-up keeps the session): its lifetime counts from here
    authenticated_at timestamptz not null,
    last_used_at timestamptz  not null,
    user_agent   varchar(512),
    ip_address   varchar(64),
    primary key (realm, session_id)
);
create unique index realm_session_sid_ux on realm_session (realm, sid);
create index realm_session_subject_ix on realm_session (realm, subject);
create index realm_session_last_used_ix on realm_session (last_used_at);

create table realm_session_client (
    realm           varchar(64)  not null,
    session_id      varchar(64)  not null,
    client_id       varchar(255) not null,
    -- the issuer the client's tokens named (the host it was reached at), named again in its logout token
    issuer          varchar(1024) not null,
    first_issued_at timestamptz  not null,
    last_issued_at  timestamptz  not null,
    primary key (realm, session_id, client_id),
    foreign key (realm, session_id) references realm_session (realm, session_id) on delete cascade
);

-- A logout token to send: signed when sent (a fresh jti and iat per attempt), so a key
-- rotation or a restart in between changes nothing.
create table logout_delivery (
    id              bigserial     primary key,
    realm           varchar(64)   not null,
    client_id       varchar(255)  not null,
    issuer          varchar(1024) not null,
    subject         varchar(255)  not null,
    sid             varchar(64),
    reason          varchar(32)   not null,
    attempts        integer       not null default 0,
    next_attempt_at timestamptz   not null,
    created_at      timestamptz   not null default now(),
    last_error      varchar(300)
);
create index logout_delivery_due_ix on logout_delivery (next_attempt_at);
