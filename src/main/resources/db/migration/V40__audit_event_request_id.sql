-- Owned by the audit package. The X-Request-Id of the request an event happened in, which
-- also marks that request's log lines. Nullable (events outside a request have none), so
-- the previous release keeps inserting without it (expand only).
alter table audit_event add column request_id varchar(64);
