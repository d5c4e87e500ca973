-- Owned by the account package: what a citizen's account says about its person (names as
-- given, kana readings, an optional romanised form, an optional phone number in E.164) and
-- the identity assurance level (NIST SP 800-63A IAL1..3) the evidence below reached. Staff
-- keep their directory data (staff table) as before; these columns are for every account.
alter table account add column family_name_kana varchar(255);
alter table account add column given_name_kana  varchar(255);
alter table account add column romanised_name   varchar(255);
alter table account add column phone_number     varchar(16);
alter table account add column ial              integer  not null default 1 check (ial between 1 and 3);

-- How an identity was proven, kept for OIDC Identity Assurance (verified_claims) later: what
-- was checked (e.g. email, document), by which method and provider, when, and the level it
-- supports. Deleted with the account.
create table identity_evidence (
    id          uuid         primary key,
    account_id  uuid         not null references account (id) on delete cascade,
    evidence    varchar(64)  not null,
    method      varchar(64)  not null,
    provider    varchar(255),
    verified_at timestamptz  not null,
    ial         smallint     not null check (ial between 1 and 3),
    created_at  timestamptz  not null default now()
);
create index identity_evidence_account_ix on identity_evidence (account_id, verified_at);
