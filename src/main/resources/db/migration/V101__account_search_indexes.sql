-- Lookups and prefix searches of the admin and SCIM APIs over a million accounts
-- (account.AccountSearch). text_pattern_ops so that LIKE 'prefix%' uses the index under any
-- database collation (the embedded database is "C", an external one may not be).
-- Not CONCURRENTLY: Flyway's transactional lock on PostgreSQL keeps a transaction open that
-- CREATE INDEX CONCURRENTLY waits for forever. On a large existing account table, create these
-- indexes CONCURRENTLY by hand before upgrading (IF NOT EXISTS makes this migration a no-op then).
create index if not exists account_realm_username_prefix_ix
    on account (realm, username text_pattern_ops);
-- lower(email) has V9's account_realm_email_ix (equality; prefixes under the "C" collation)
create index if not exists account_realm_family_name_ix
    on account (realm, lower(family_name) text_pattern_ops);
create index if not exists account_realm_given_name_ix
    on account (realm, lower(given_name) text_pattern_ops);
create index if not exists account_realm_external_id_ix
    on account (realm, external_id) where external_id is not null;
-- the directory's staff table: its unique (realm, employee_number) serves equality, this
-- one prefixes
create index if not exists staff_realm_employee_number_prefix_ix
    on staff (realm, employee_number text_pattern_ops);
