-- Owned by the audit package: the hash chain that makes the audit trail tamper-evident
-- (docs/audit.md). Rows are inserted unchained in the transaction of the change they
-- record; the sealer later gives each finished row its place in its realm's chain.
alter table audit_event add column user_agent varchar(512);
-- the inserting transaction: the sealer chains a row only once every transaction at or
-- below this one has ended, so a slow transaction is never chained out of place. Rows
-- written before this column existed have none and count as finished.
alter table audit_event add column txid xid8;
alter table audit_event alter column txid set default pg_current_xact_id();
alter table audit_event add column chain_position bigint;
alter table audit_event add column hash bytea;

-- the newest sealed link of each realm's chain, where the sealer goes on from
create table audit_chain_head (
    realm          varchar(64) primary key,
    chain_position bigint      not null,
    hash           bytea       not null,
    sealed_at      timestamptz not null
);

-- a link kept when retention deleted the whole segments before it: the chain verifies
-- from here on
create table audit_checkpoint (
    realm          varchar(64) not null,
    chain_position bigint      not null,
    hash           bytea       not null,
    occurred_at    timestamptz not null,
    created_at     timestamptz not null,
    deleted_events bigint      not null,
    primary key (realm, chain_position)
);
