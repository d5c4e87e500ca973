-- SCIM 2.0 (provisioning package, through account.AccountService): the id an HR system
-- gives its person, and a version that is the resource's ETag (If-Match).
-- Nullable / defaulted columns: the previous release keeps working (docs/operations.md).
alter table account add column external_id varchar(255);
alter table account add column version bigint not null default 0;
