import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { planForPrice, planPurchaseBlocker } from "./prices";

describe("which plans can be bought here", () => {
  it("says why a paid plan cannot be bought: no Stripe key, or no price for that plan", () => {
    expect(planPurchaseBlocker("starter", readEnv({}))).toMatch(
      /Payments are not set up on this Beacon yet \(STRIPE_SECRET_KEY is unset\), so Starter cannot be bought here/,
    );
    const keyOnly = readEnv({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_PRICE_PRO: "price_pro" });
    expect(planPurchaseBlocker("starter", keyOnly)).toBe(
      "Starter has no Stripe price on this Beacon (STRIPE_PRICE_STARTER is unset), so it cannot be bought here.",
    );
    expect(planPurchaseBlocker("pro", keyOnly)).toBeNull();
    expect(planPurchaseBlocker("free", keyOnly)).toMatch(/free/);
    expect(planForPrice("price_pro", keyOnly)).toBe("pro");
  });
});
