-- Owned by the audit package. Plain CREATE INDEX, not CONCURRENTLY: Flyway's transactional
-- lock makes a concurrent build wait for Flyway itself (flyway/flyway#3682). On a large
-- audit_event, create these indexes CONCURRENTLY by hand before upgrading (same names);
-- "if not exists" then skips them here and the upgrade blocks no writer.
-- One index per filter of the admin API's list, each ending in the page order (time, id)
-- so a page is a range scan whatever the offset; the chain's own lookups; the unsealed
-- rows the sealer looks for (few at any time).
create index if not exists audit_event_page_ix on audit_event (realm, occurred_at desc, id desc);
create index if not exists audit_event_subject_page_ix
    on audit_event (realm, subject, occurred_at desc, id desc) where subject is not null;
create index if not exists audit_event_type_page_ix on audit_event (realm, type, occurred_at desc, id desc);
create index if not exists audit_event_client_page_ix
    on audit_event (realm, client_id, occurred_at desc, id desc) where client_id is not null;
create index if not exists audit_event_failure_page_ix
    on audit_event (realm, occurred_at desc, id desc) where outcome = 'failure';
create unique index if not exists audit_event_chain_ix on audit_event (realm, chain_position)
    where chain_position is not null;
create index if not exists audit_event_unsealed_ix on audit_event (id) where chain_position is null;
drop index if exists audit_event_realm_time_ix;
drop index if exists audit_event_subject_ix;
