-- A decided agreement version is frozen: once decided_at is set, the database refuses any change
-- to or deletion of the row, whatever code path asks.
CREATE OR REPLACE FUNCTION agreement_revisions_refuse_frozen_change() RETURNS trigger AS $$
BEGIN
  IF OLD.decided_at IS NOT NULL THEN
    RAISE EXCEPTION 'agreement revision % is decided and frozen', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER agreement_revisions_frozen
  BEFORE UPDATE OR DELETE ON agreement_revisions
  FOR EACH ROW EXECUTE FUNCTION agreement_revisions_refuse_frozen_change();
