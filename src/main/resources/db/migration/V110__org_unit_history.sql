-- Organisation units change by effective-dated operations (directory package).
-- A unit's row keeps the name it was created with; each rename adds a name valid from a
-- time, so lists and tokens show the name valid at the time asked for.
create table org_unit_name (
    unit_id    uuid         not null references org_unit (id) on delete cascade,
    valid_from timestamptz  not null,
    name_ja    varchar(255) not null,
    name_en    varchar(255),
    primary key (unit_id, valid_from)
);

-- The unit this one was merged into (its valid_to is the merge time).
alter table org_unit add column merged_into uuid references org_unit (id);

-- A reverse batch names the applied batch it undoes; an applied batch keeps the rows that
-- would put everyone back as they were just before it applied.
alter table transfer_batch add column reverses uuid references transfer_batch (id);
alter table transfer_batch add column undo_rows jsonb;
create index assignment_unit_to_ix on assignment (unit_id, valid_to);
