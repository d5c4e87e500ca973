-- Owned by the federation package: which account a person of an upstream OpenID provider
-- is, keyed by the provider's issuer and its subject (the upstream's `sub`, never a My
-- Number). Deleted with the account.
create table federation_link (
    realm            varchar(63)  not null,
    issuer           varchar(512) not null,
    upstream_subject varchar(255) not null,
    provider         varchar(63)  not null,
    account_id       uuid         not null references account (id) on delete cascade,
    created_at       timestamptz  not null,
    last_login_at    timestamptz  not null,
    last_acr         varchar(255),
    primary key (realm, issuer, upstream_subject)
);
-- one link per account and provider; the foreign key's own lookup on account deletion
create unique index federation_link_account_ix on federation_link (account_id, realm, issuer);
