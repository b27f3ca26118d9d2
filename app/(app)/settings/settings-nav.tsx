import Link from "next/link";

const LINKS = [
  { href: "/settings/team", label: "Team" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/channels", label: "Channels" },
  { href: "/settings/billing", label: "Billing" },
  { href: "/settings/not-relevant", label: "Not relevant" },
  { href: "/settings/data", label: "Data" },
  { href: "/settings/account", label: "Account" },
];

export function SettingsNav({ current }: { current: string }) {
  return (
    <nav aria-label="Settings" className="relative mb-6 flex gap-1 overflow-x-auto border-b border-slate-200">
      {LINKS.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={current === link.href ? "page" : undefined}
          className="whitespace-nowrap border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:text-slate-900 aria-[current=page]:border-indigo-600 aria-[current=page]:text-indigo-700"
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
