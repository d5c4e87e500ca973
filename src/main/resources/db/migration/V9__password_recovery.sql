-- Owned by the account package: a password set by an administrator must be replaced by
-- its owner at the next login.
alter table account add column password_change_required boolean not null default false;
-- password-reset links are sent to the accounts having the address typed
create index account_realm_email_ix on account (realm, lower(email));

-- Owned by the recovery package: links that set a forgotten password. Only the SHA-256 of
-- the link's random token is kept; a link works once and until it expires.
create table password_reset_link (
    token_hash  bytea        primary key,
    realm       varchar(64)  not null references realm (name),
    account_id  uuid         not null references account (id) on delete cascade,
    created_at  timestamptz  not null,
    expires_at  timestamptz  not null,
    used_at     timestamptz
);
create index password_reset_link_account_ix on password_reset_link (account_id);
create index password_reset_link_expires_ix on password_reset_link (expires_at);
