-- Owned by the oidc package. Where a client came from: a realm file (provisioned, and
-- overwritten, whenever a process starts with the files) or the admin API (never touched by
-- provisioning). Expand-only: the default keeps older instances' inserts valid.
alter table oauth_client add column source varchar(16) not null default 'realm-file'
    check (source in ('realm-file', 'admin-api'));
