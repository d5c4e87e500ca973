-- Owned by the directory package: groups of accounts (fed through SCIM from the system of
-- record), role rules that name a group, and a staff member's manager (the SCIM enterprise
-- extension's "manager").

create table directory_group (
    id           uuid primary key,
    realm        varchar(64)  not null references realm (name),
    display_name varchar(255) not null,
    external_id  varchar(255),
    created_at   timestamptz  not null,
    updated_at   timestamptz  not null,
    version      bigint       not null
);
-- SCIM filters: displayName compares without case, externalId exactly; both by prefix too
create index directory_group_name_ix on directory_group (realm, lower(display_name) text_pattern_ops);
create index directory_group_external_ix on directory_group (realm, external_id) where external_id is not null;

-- Membership is one row per member, so that adding or removing one member of a group of
-- 20,000 touches one row; the primary key answers "is X in G", the second index "X's groups"
-- (the token's roles, the User's "groups", members.value filters).
create table directory_group_member (
    group_id   uuid not null references directory_group (id) on delete cascade,
    account_id uuid not null references account (id) on delete cascade,
    primary key (group_id, account_id)
);
create index directory_group_member_account_ix on directory_group_member (account_id, group_id);

-- A rule names a unit and/or a post, or else a group alone: everyone in the group has the role.
-- Deleting a group deletes the rules that name it (its members lose those roles at once).
alter table role_rule add column group_id uuid references directory_group (id) on delete cascade;
alter table role_rule drop constraint role_rule_check;
alter table role_rule add constraint role_rule_condition_check
    check ((group_id is null and (unit_id is not null or post is not null))
        or (group_id is not null and unit_id is null and post is null));
create index role_rule_group_ix on role_rule (group_id) where group_id is not null;

alter table staff add column manager_id uuid references account (id) on delete set null;
create index staff_manager_ix on staff (manager_id) where manager_id is not null;
