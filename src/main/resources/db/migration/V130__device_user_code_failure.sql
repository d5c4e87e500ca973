-- Owned by the oidc package: wrong user codes a person entered at a realm's device page
-- (RFC 8628), shared by every instance so that guessing is limited across replicas. The
-- count starts at the first wrong code and ends at expires_at (hitotsu.device.attempt-window
-- later); the grant purge deletes rows that ended.
create table device_user_code_failure (
    realm          varchar(64)  not null references realm (name),
    principal_name varchar(255) not null,
    failures       integer      not null,
    expires_at     timestamptz  not null,
    primary key (realm, principal_name)
);
create index device_user_code_failure_expires_ix on device_user_code_failure (expires_at);
