-- Owned by the audit package. Append-only: the application never updates or deletes a
-- row (the My Number zone's issue adds the hash chain that makes tampering visible).
create table audit_event (
    id          bigserial primary key,
    occurred_at timestamptz  not null,
    realm       varchar(64)  not null,
    type        varchar(64)  not null,
    outcome     varchar(16)  not null,
    subject     varchar(64),
    username    varchar(255),
    client_id   varchar(255),
    ip_address  varchar(64),
    session_id  varchar(64),
    details     jsonb        not null default '{}'::jsonb
);
create index audit_event_realm_time_ix on audit_event (realm, occurred_at desc);
create index audit_event_subject_ix on audit_event (subject, occurred_at desc) where subject is not null;
