-- Owned by the oidc package. The jti of every DPoP proof (RFC 9449) accepted at the token
-- endpoint or UserInfo, by SHA-256, until the proof could no longer be accepted anyway
-- (its iat is out of the window): a proof replayed to any replica on this database is refused.
create table dpop_proof (
    jti_hash   bytea primary key,
    realm      varchar(64) not null references realm (name),
    expires_at timestamptz not null
);
create index dpop_proof_expires_ix on dpop_proof (expires_at);
