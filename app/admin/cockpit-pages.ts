/** The cockpit's pages in nav order: the nav's label and the page's own heading. */
export const COCKPIT_PAGES: { href: string; label: string; heading: string }[] = [
  { href: "/admin/ops", label: "Overview", heading: "Operations" },
  { href: "/admin/ops/alerts", label: "Alerts", heading: "Ops alerts" },
  { href: "/admin/ops/customers", label: "Customers", heading: "Customers" },
  { href: "/admin/ops/jobs", label: "Job runs", heading: "Job runs" },
  { href: "/admin/ops/dead-letters", label: "Dead letters", heading: "Dead letters" },
  { href: "/admin/ops/stripe-events", label: "Stripe events", heading: "Stripe events" },
  { href: "/admin/ops/audit", label: "Audit log", heading: "Audit log" },
  { href: "/admin/ops/emails", label: "E-mails", heading: "E-mails" },
  { href: "/admin/ops/config", label: "Config", heading: "Configuration" },
  { href: "/admin/ops/flags", label: "Flags & incident", heading: "Flags & incident" },
];
