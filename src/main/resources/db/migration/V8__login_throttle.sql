-- Owned by the account package: the state of brute-force defence, shared by every
-- instance on this database.

-- Failed password attempts in a row, per account. A row exists only while there is
-- something to remember; a successful login or an administrator deletes it.
create table login_failure (
    account_id      uuid        primary key references account (id) on delete cascade,
    failures        integer     not null,
    -- when the last failure was counted; failures older than the realm's
    -- brute-force.forget-failures-after no longer count
    last_failure_at timestamptz not null,
    -- no attempt is admitted before this (the growing delay)
    next_allowed_at timestamptz,
    -- no attempt is admitted before this (the lock)
    locked_until    timestamptz,
    -- after this the row means nothing any more and the purge deletes it
    expires_at      timestamptz not null
);
create index login_failure_expires_ix on login_failure (expires_at);

-- Login attempts per client address and realm, one row per minute (a sliding window is
-- estimated from the current and the previous minute). Successful logins give their
-- attempt back, so many people behind one address are not throttled by their own logins.
create table login_address_attempt (
    realm        varchar(64) not null references realm (name),
    ip_address   varchar(64) not null,
    window_start timestamptz not null,
    attempts     integer     not null,
    primary key (realm, ip_address, window_start)
);
create index login_address_attempt_window_ix on login_address_attempt (window_start);
