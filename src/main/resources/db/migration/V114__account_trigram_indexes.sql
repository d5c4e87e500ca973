-- SCIM "co" (contains) and "ew" (ends with) on usernames and e-mail addresses: LIKE '%x%' cannot
-- use a b-tree, so without these every such filter read the whole account table (100 ms over a
-- million accounts). pg_trgm ships with PostgreSQL (and the embedded binaries) and is a trusted
-- extension: the database owner may create it on a managed PostgreSQL too.
-- Not for names: under the "C" ctype the embedded database is created with, pg_trgm takes no
-- trigrams from Japanese text (show_trgm('佐藤花子') is empty), so an index could not serve them;
-- see docs/benchmarks.md.
-- The indexed expressions differ on purpose from those of the prefix searches (username,
-- lower(email)): on the same expression PostgreSQL took the trigram index for prefixes as well,
-- and the admin search by username went from 4 ms to 670 ms. account.AccountField compares
-- co/ew on these expressions (a normalised username is in lower case already).
create extension if not exists pg_trgm;
create index if not exists account_username_trgm_ix on account using gin (lower(username) gin_trgm_ops);
create index if not exists account_email_trgm_ix on account using gin (upper(email) gin_trgm_ops);
analyze account;
