-- A search result's excerpt highlights where its keywords appear in the description. ts_headline
-- parses and stems all the text it is given, which for 20 results of up to 4,000 characters cost
-- more than the search itself; these columns hold that text cut into passages of up to 40 words,
-- with each passage's lexemes, so a search parses only the passage of the first match.
CREATE OR REPLACE FUNCTION beacon_description_passages(description text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(m[1] ORDER BY n), '{}')
  FROM regexp_matches(left(coalesce(description, ''), 4000), '(\S+(?:\s+\S+){0,39})', 'g') WITH ORDINALITY AS t(m, n)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION beacon_passage_vectors(passages text[]) RETURNS tsvector[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(to_tsvector('english', p) ORDER BY n), '{}')
  FROM unnest(passages) WITH ORDINALITY AS t(p, n)
$$;
--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "description_passages" text[] GENERATED ALWAYS AS (beacon_description_passages(description)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "passage_vectors" "tsvector"[] GENERATED ALWAYS AS (beacon_passage_vectors(beacon_description_passages(description))) STORED NOT NULL;
