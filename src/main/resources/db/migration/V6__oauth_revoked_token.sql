-- Owned by the oidc package. Client-credentials access tokens are self-contained and
-- stored nowhere; revoking one records its hash here until it would have expired, so
-- introspection answers inactive.
create table oauth_revoked_token (
    token_hash bytea primary key,
    realm      varchar(64) not null references realm (name),
    expires_at timestamptz not null
);
create index oauth_revoked_token_expires_ix on oauth_revoked_token (expires_at);
