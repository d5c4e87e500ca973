-- Owned by the account package.
create table account (
    id             uuid primary key,
    realm          varchar(64)  not null references realm (name),
    username       varchar(255) not null,
    email          varchar(320),
    email_verified boolean      not null default false,
    given_name     varchar(255),
    family_name    varchar(255),
    display_name   varchar(255),
    enabled        boolean      not null default true,
    password_hash  varchar(512),
    created_at     timestamptz  not null default now(),
    updated_at     timestamptz  not null default now()
);
-- usernames are stored normalised (NFKC, lower case), so this is the case-insensitive key
create unique index account_realm_username_uk on account (realm, username);

create table account_role (
    account_id uuid         not null references account (id) on delete cascade,
    role       varchar(128) not null,
    primary key (account_id, role)
);
