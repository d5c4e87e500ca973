-- Owned by the account package. Every replica keeps the accounts that tokens name in memory
-- (AccountCache); these triggers tell all of them of every change to an account or its roles,
-- whichever statement made it, when its transaction commits (NOTIFY is transactional). A new
-- account needs no notice: nobody holds one that did not exist. The channel and the payload
-- are CacheInvalidations' ('hitotsu_cache', topic 'account', key the account's id). A
-- statement that changes many accounts (a transfer batch, an import) sends one notice that
-- drops them all rather than one per account.
create function account_changes_notify() returns trigger language plpgsql as $$
declare
    accounts uuid[];
begin
    if tg_table_name = 'account' then
        accounts := array(select distinct id from changed);
    else
        accounts := array(select distinct account_id from changed);
    end if;
    if cardinality(accounts) > 100 then
        perform pg_notify('hitotsu_cache', 'account:*');
    else
        perform pg_notify('hitotsu_cache', 'account:' || id) from unnest(accounts) as id;
    end if;
    return null;
end
$$;

-- a trigger with a transition table has one event, hence one trigger per event
create trigger account_updated after update on account
    referencing old table as changed for each statement execute function account_changes_notify();
create trigger account_deleted after delete on account
    referencing old table as changed for each statement execute function account_changes_notify();
create trigger account_roles_added after insert on account_role
    referencing new table as changed for each statement execute function account_changes_notify();
create trigger account_roles_updated after update on account_role
    referencing new table as changed for each statement execute function account_changes_notify();
create trigger account_roles_removed after delete on account_role
    referencing old table as changed for each statement execute function account_changes_notify();
