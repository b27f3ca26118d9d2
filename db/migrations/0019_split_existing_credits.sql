-- Credits bought or granted in the current period were added to the month's allowance
-- (quota_remaining) before credits became a balance of their own. Move what is left of them
-- (never more than the allowance still holds) into credits_remaining, so they survive the next
-- rollover, and book the move in the ledger on both balances so neither reports drift.
WITH moved AS (
  SELECT q."org_id", q."period_start",
         least(q."quota_remaining", greatest(0, coalesce((
           SELECT sum(a."delta") FROM "quota_adjustments" a
           WHERE a."org_id" = q."org_id" AND a."period_start" = q."period_start"
             AND (a."reason" IN ('credit_pack', 'credit_refund') OR (a."reason" = 'operator_set' AND a."ref" LIKE 'grant:%'))
         ), 0)))::int AS credits
  FROM "usage_quotas" q
  WHERE q."period_end" > now()
), updated AS (
  UPDATE "usage_quotas" q
  SET "quota_remaining" = q."quota_remaining" - m.credits, "credits_remaining" = q."credits_remaining" + m.credits, "updated_at" = now()
  FROM moved m
  WHERE q."org_id" = m."org_id" AND m.credits > 0
  RETURNING q."org_id", q."period_start", m.credits
)
INSERT INTO "quota_adjustments" ("org_id", "period_start", "balance", "delta", "reason", "ref", "created_at")
SELECT "org_id", "period_start", 'allowance', -credits, 'opening_balance', 'credits moved to their own balance', now() FROM updated
UNION ALL
SELECT "org_id", "period_start", 'credits', credits, 'opening_balance', 'credits moved to their own balance', now() FROM updated;
