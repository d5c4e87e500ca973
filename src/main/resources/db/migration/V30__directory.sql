-- Owned by the directory package: organisation units, staff data, effective-dated
-- assignments, role rules and direct role grants, transfer batches.
-- Effective periods are half-open: valid from valid_from (inclusive) until valid_to
-- (exclusive; null: open-ended).

create table org_unit (
    id         uuid primary key,
    realm      varchar(64)  not null references realm (name),
    code       varchar(64)  not null,
    kind       varchar(16)  not null check (kind in ('bureau', 'department', 'section', 'unit')),
    name_ja    varchar(255) not null,
    name_en    varchar(255),
    parent_id  uuid references org_unit (id),
    valid_from timestamptz  not null,
    valid_to   timestamptz,
    unique (realm, code),
    check (valid_to is null or valid_to > valid_from)
);
create index org_unit_parent_ix on org_unit (parent_id);

create table staff (
    account_id       uuid primary key references account (id) on delete cascade,
    realm            varchar(64)  not null references realm (name),
    employee_number  varchar(32)  not null,
    family_name      varchar(255) not null,
    given_name       varchar(255) not null,
    family_name_kana varchar(255),
    given_name_kana  varchar(255),
    romanised_name   varchar(255),
    job_grade        varchar(64),
    unique (realm, employee_number)
);

create table assignment (
    id         uuid primary key,
    account_id uuid        not null references account (id) on delete cascade,
    unit_id    uuid        not null references org_unit (id),
    kind       varchar(16) not null check (kind in ('primary', 'concurrent', 'acting')),
    post       varchar(128),
    valid_from timestamptz not null,
    valid_to   timestamptz,
    check (valid_to is null or valid_to > valid_from)
);
create index assignment_account_ix on assignment (account_id, valid_from);
create index assignment_unit_ix on assignment (unit_id);

-- Everyone assigned under unit_id (the unit or any unit below it), or holding post, or
-- both, has role in client_id.
create table role_rule (
    id        uuid primary key,
    realm     varchar(64)  not null references realm (name),
    client_id varchar(255) not null,
    role      varchar(128) not null,
    unit_id   uuid references org_unit (id),
    post      varchar(128),
    check (unit_id is not null or post is not null)
);
create index role_rule_realm_client_ix on role_rule (realm, client_id);

create table role_grant (
    account_id uuid         not null references account (id) on delete cascade,
    client_id  varchar(255) not null,
    role       varchar(128) not null,
    primary key (account_id, client_id, role)
);

create table transfer_batch (
    id           uuid primary key,
    realm        varchar(64) not null references realm (name),
    status       varchar(16) not null check (status in ('validated', 'scheduled', 'applied', 'cancelled', 'failed')),
    effective_at timestamptz not null,
    rows         jsonb       not null,
    row_count    integer     not null,
    created_by   varchar(255),
    created_at   timestamptz not null,
    changed_at   timestamptz not null,
    outcome      jsonb
);
create index transfer_batch_due_ix on transfer_batch (effective_at) where status = 'scheduled';
