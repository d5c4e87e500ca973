-- Owned by the realm package: one row per realm this database has ever served.
create table realm (
    name            varchar(64) primary key,
    zone            varchar(16)  not null,
    display_name_ja varchar(200) not null,
    display_name_en varchar(200) not null,
    settings        jsonb        not null,
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now()
);
