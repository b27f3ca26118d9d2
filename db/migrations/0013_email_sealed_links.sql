ALTER TABLE "email_messages" ADD COLUMN "sensitive" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Links queued or recorded before links were sealed: hidden where they sit, marked sensitive.
UPDATE "email_messages" SET
  "sensitive" = true,
  "text_body" = regexp_replace("text_body", 'https?://\S*([?&](token|code)=|/invitations/)\S*', '[link sent to the recipient only]', 'g'),
  "html_body" = CASE WHEN "html_body" IS NULL THEN NULL ELSE regexp_replace("html_body", 'https?://[^\s"''<>]*([?&](token|code)=|/invitations/)[^\s"''<>]*', '[link sent to the recipient only]', 'g') END
WHERE "kind" IN ('magic_link', 'verify_email', 'password_reset', 'invitation')
   OR "text_body" ~ '[?&](token|code)=|/invitations/';
--> statement-breakpoint
UPDATE "outbox_events" SET "payload" = jsonb_set("payload", '{text}', to_jsonb(regexp_replace("payload"->>'text', 'https?://\S*([?&](token|code)=|/invitations/)\S*', '[link sent to the recipient only]', 'g'))) - 'html'
WHERE "kind" = 'email' AND ("payload"->>'kind' IN ('magic_link', 'verify_email', 'password_reset', 'invitation') OR "payload"->>'text' ~ '[?&](token|code)=|/invitations/');
