"""Rules Django's constraints cannot state, enforced by PostgreSQL itself.

- A provision's parent belongs to the same instrument; an earlier label's copied instrument is its
  provision's (composite foreign keys onto the ``provision_id_instrument`` unique constraint).
- Nesting has no cycle: a provision (or jurisdiction) is never its own ancestor.
- An earlier label's slug is not another provision's current slug in the same instrument (the
  unique constraint on earlier labels covers earlier vs earlier).

All are deferred to the end of the transaction, as Django's own foreign keys are, so loaddata may
insert rows in any order; they raise IntegrityError (SQLSTATE 23xxx) like any constraint.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE provisions_provision
    ADD CONSTRAINT provision_parent_same_instrument
    FOREIGN KEY (parent_id, instrument_id)
    REFERENCES provisions_provision (id, instrument_id)
    DEFERRABLE INITIALLY DEFERRED;

-- ON UPDATE CASCADE: moving a provision to another instrument moves its earlier labels too.
ALTER TABLE provisions_earlierlabel
    ADD CONSTRAINT earlier_label_instrument_is_provisions
    FOREIGN KEY (provision_id, instrument_id)
    REFERENCES provisions_provision (id, instrument_id)
    ON UPDATE CASCADE
    DEFERRABLE INITIALLY DEFERRED;

CREATE FUNCTION atlas_provision_nesting_has_no_cycle() RETURNS trigger AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE ancestors(id) AS (
            SELECT NEW.parent_id
            UNION
            SELECT p.parent_id FROM provisions_provision p
            JOIN ancestors a ON p.id = a.id WHERE p.parent_id IS NOT NULL
        )
        SELECT 1 FROM ancestors WHERE id = NEW.id
    ) THEN
        RAISE EXCEPTION 'provision % would be part of itself', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'provision_nesting_has_no_cycle';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER provision_nesting_has_no_cycle
    AFTER INSERT OR UPDATE OF parent_id ON provisions_provision
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION atlas_provision_nesting_has_no_cycle();

CREATE FUNCTION atlas_jurisdiction_nesting_has_no_cycle() RETURNS trigger AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE ancestors(id) AS (
            SELECT NEW.parent_id
            UNION
            SELECT j.parent_id FROM provisions_jurisdiction j
            JOIN ancestors a ON j.id = a.id WHERE j.parent_id IS NOT NULL
        )
        SELECT 1 FROM ancestors WHERE id = NEW.id
    ) THEN
        RAISE EXCEPTION 'jurisdiction % would be part of itself', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'jurisdiction_nesting_has_no_cycle';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER jurisdiction_nesting_has_no_cycle
    AFTER INSERT OR UPDATE OF parent_id ON provisions_jurisdiction
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION atlas_jurisdiction_nesting_has_no_cycle();

CREATE FUNCTION atlas_earlier_label_is_not_a_current_label() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'provisions_earlierlabel' THEN
        IF EXISTS (
            SELECT 1 FROM provisions_provision p
            WHERE p.instrument_id = NEW.instrument_id AND p.slug = NEW.slug
              AND p.id <> NEW.provision_id
        ) THEN
            RAISE EXCEPTION 'earlier label % is the current label of another provision', NEW.slug
                USING ERRCODE = 'unique_violation',
                      CONSTRAINT = 'earlier_label_is_not_a_current_label';
        END IF;
    ELSIF EXISTS (
        SELECT 1 FROM provisions_earlierlabel e
        WHERE e.instrument_id = NEW.instrument_id AND e.slug = NEW.slug
          AND e.provision_id <> NEW.id
    ) THEN
        RAISE EXCEPTION 'label % was the earlier label of another provision', NEW.slug
            USING ERRCODE = 'unique_violation',
                  CONSTRAINT = 'earlier_label_is_not_a_current_label';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER earlier_label_is_not_a_current_label
    AFTER INSERT OR UPDATE OF slug, instrument_id, provision_id ON provisions_earlierlabel
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION atlas_earlier_label_is_not_a_current_label();

CREATE CONSTRAINT TRIGGER provision_label_is_not_an_earlier_label
    AFTER INSERT OR UPDATE OF slug, instrument_id ON provisions_provision
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION atlas_earlier_label_is_not_a_current_label();
"""

BACKWARD = """
DROP TRIGGER provision_label_is_not_an_earlier_label ON provisions_provision;
DROP TRIGGER earlier_label_is_not_a_current_label ON provisions_earlierlabel;
DROP FUNCTION atlas_earlier_label_is_not_a_current_label();
DROP TRIGGER jurisdiction_nesting_has_no_cycle ON provisions_jurisdiction;
DROP FUNCTION atlas_jurisdiction_nesting_has_no_cycle();
DROP TRIGGER provision_nesting_has_no_cycle ON provisions_provision;
DROP FUNCTION atlas_provision_nesting_has_no_cycle();
ALTER TABLE provisions_earlierlabel DROP CONSTRAINT earlier_label_instrument_is_provisions;
ALTER TABLE provisions_provision DROP CONSTRAINT provision_parent_same_instrument;
"""


class Migration(migrations.Migration):
    dependencies = [("provisions", "0002_publish_permissions_and_constraint_messages")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
