-- Invitees without an account were once stored with their address's local part as the name
-- ("anna.extern" for anna.extern@example.se); they are now stored with the whole address, which
-- means that no name is known. The older rows get the whole address too, so that nothing needs to
-- recognise a local part any more. A row is matched the way the portal recognised such a name:
-- both sides trimmed of whitespace, compared case-insensitively, the local part being everything
-- before the address's last "@" (an address without "@" has none and is left alone).
UPDATE "meeting_invitees" SET "name" = "email"
WHERE "user_id" IS NULL
  AND lower(btrim("name", E' \t\n\x0B\f\r')) = lower(substring(btrim("email", E' \t\n\x0B\f\r') FROM '^(.*)@'));
--> statement-breakpoint
UPDATE "meeting_series_invitees" SET "name" = "email"
WHERE "user_id" IS NULL
  AND lower(btrim("name", E' \t\n\x0B\f\r')) = lower(substring(btrim("email", E' \t\n\x0B\f\r') FROM '^(.*)@'));
--> statement-breakpoint
UPDATE "poll_participants" SET "name" = "email"
WHERE "user_id" IS NULL
  AND lower(btrim("name", E' \t\n\x0B\f\r')) = lower(substring(btrim("email", E' \t\n\x0B\f\r') FROM '^(.*)@'));
--> statement-breakpoint
UPDATE "removed_meeting_invitees" SET "name" = "email"
WHERE "user_id" IS NULL
  AND lower(btrim("name", E' \t\n\x0B\f\r')) = lower(substring(btrim("email", E' \t\n\x0B\f\r') FROM '^(.*)@'));
