-- The search vector is no longer computed by a generated column: parley_search_vector() costs ~0.1–0.6 ms
-- a row (the fold table's translate() above all), and a new message is inserted while its channel's row
-- is locked. The send path now computes the same tsvector in Node (lib/search/tokenize.ts toTsvectorText,
-- checked against the SQL function by tests/search.test.ts) and writes it; this trigger fills it with
-- the SQL function for every other write (an insert without it, an edit or delete that changes the body
-- without it), so no path can leave a message unindexed.
ALTER TABLE "Message" ALTER COLUMN "searchVector" DROP EXPRESSION;

CREATE OR REPLACE FUNCTION parley_message_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."searchVector" IS NULL THEN
      NEW."searchVector" := parley_search_vector(NEW.body);
    END IF;
  ELSIF NEW.body IS DISTINCT FROM OLD.body AND NEW."searchVector" IS NOT DISTINCT FROM OLD."searchVector" THEN
    NEW."searchVector" := parley_search_vector(NEW.body);
  END IF;
  RETURN NEW;
END
$fn$;

CREATE TRIGGER "Message_searchVector" BEFORE INSERT OR UPDATE OF body ON "Message"
FOR EACH ROW EXECUTE FUNCTION parley_message_search_vector();
