-- SCIM answers totalResults: every match of a filter is counted, 17,000 for a common family name
-- over a million accounts. PostgreSQL counts from the index alone (index-only scan) only when every
-- column the statement reads is in the index, and an index on lower(family_name) does not hold
-- family_name itself: the count visited 12,700 heap pages (16 ms warm, 156 ms cold). With the
-- column INCLUDEd it reads about 90 index pages (3 ms). Each holds the other name too, so that a
-- family name and a given name together are counted the same way, and the id, so that the few
-- matches of such a pair are found without the table (account.AccountSearch). See
-- docs/benchmarks.md.
-- They replace V101's name indexes. Built in the migration's transaction (not CONCURRENTLY: see
-- V101), which blocks writes to a large account table for a few seconds per index; to avoid that,
-- create these two CONCURRENTLY by hand before upgrading (IF NOT EXISTS then skips them).
create index if not exists account_realm_family_name_count_ix
    on account (realm, lower(family_name) text_pattern_ops) include (family_name, given_name, id);
create index if not exists account_realm_given_name_count_ix
    on account (realm, lower(given_name) text_pattern_ops) include (given_name, family_name, id);
drop index if exists account_realm_family_name_ix;
drop index if exists account_realm_given_name_ix;
-- the planner knows an expression's values only from statistics gathered after its index exists:
-- without them it guessed a family name and a given name equally selective and counted 260,000
-- given names instead of 4,000 family names (53 ms instead of 4 ms)
analyze account;
