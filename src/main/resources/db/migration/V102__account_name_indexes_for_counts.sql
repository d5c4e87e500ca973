-- SCIM answers totalResults: every match of a filter is counted, 17,000 for a common family name
-- over a million accounts. PostgreSQL counts from the index alone (index-only scan) only when every
-- column the statement reads is in the index, and an index on lower(family_name) does not hold
-- family_name itself: the count visited 12,700 heap pages (16 ms warm, 156 ms cold). With the
-- column INCLUDEd it reads about 90 index pages (3 ms). See docs/benchmarks.md.
-- The indexes are built again in the migration's transaction (not CONCURRENTLY: see V101); on a
-- large account table that blocks writes to it for a few seconds per index.
drop index if exists account_realm_family_name_ix;
create index account_realm_family_name_ix
    on account (realm, lower(family_name) text_pattern_ops) include (family_name);
drop index if exists account_realm_given_name_ix;
create index account_realm_given_name_ix
    on account (realm, lower(given_name) text_pattern_ops) include (given_name);
