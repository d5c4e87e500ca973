-- Owned by the audit package. The failures of one client: with only the client's index and the
-- realm's failures index, a client with few failures among many events made PostgreSQL walk
-- either to fill a page (0.6 s at 8 million events, docs/benchmarks.md). Failures are a small
-- share of the events, so this index stays small. Plain CREATE INDEX for the reason in V61.
create index if not exists audit_event_client_failure_page_ix
    on audit_event (realm, client_id, occurred_at desc, id desc) where outcome = 'failure' and client_id is not null;
