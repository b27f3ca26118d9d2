const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** Integer cents as "$1,154,387.00"; `empty` when there is no amount. */
export function formatUsdCents(cents: number | null | undefined, empty = "—"): string {
  return typeof cents === "number" && Number.isFinite(cents) ? USD.format(cents / 100) : empty;
}
