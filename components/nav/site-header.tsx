import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { buttonClasses } from "@/components/ui/button";
import type { Viewer } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";
import { OrgSwitcher } from "./org-switcher";

const APP_LINKS = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/opportunities", label: "Opportunities" },
  { href: "/alerts", label: "Alerts" },
  { href: "/pipeline", label: "Pipeline" },
  { href: "/settings/team", label: "Settings" },
] as const;

const ACCOUNT_LINKS = [
  { href: "/settings/account", label: "Account" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/billing", label: "Billing" },
] as const;

// Tight padding between sm and lg keeps six links, the logo and the user menu on one line at 640px.
const NAV_LINK =
  "rounded-md px-2 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900 lg:px-3";
const MENU_ITEM =
  "block w-full rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-900";
// Operators must never mistake the cockpit link for a customer page.
const OPS_TONE = "bg-amber-100 font-semibold text-amber-900 ring-1 ring-amber-300 ring-inset hover:bg-amber-200";
const OPS_LINK = `rounded-md px-2 py-2 text-sm lg:px-3 ${OPS_TONE}`;
const OPS_MENU_ITEM = `block rounded-md px-3 py-2 text-sm ${OPS_TONE}`;
const PANEL = "absolute z-40 mt-2 rounded-xl bg-white p-2 shadow-lg ring-1 ring-slate-900/10";

/** The site-wide header: signed-out, customer or operator navigation, read from the session. */
export async function SiteHeader() {
  const viewer = await getViewer();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="relative mx-auto flex h-16 max-w-6xl items-center gap-4 px-4 sm:px-6">
        <Link
          href={viewer ? "/dashboard" : "/"}
          className="flex shrink-0 items-center gap-2 rounded-md font-semibold text-slate-900"
        >
          <BeaconMark />
          Beacon
        </Link>
        {viewer ? <SignedInNav viewer={viewer} /> : <SignedOutNav />}
      </div>
      {viewer && !viewer.user.emailVerified ? <VerifyEmailBanner /> : null}
    </header>
  );
}

function SignedOutNav() {
  return (
    <>
      <nav aria-label="Main" className="ml-auto hidden items-center gap-1 sm:flex">
        <Link href="/pricing" className={NAV_LINK}>
          Pricing
        </Link>
        <Link href="/sign-in" className={NAV_LINK}>
          Sign in
        </Link>
        <Link href="/sign-up" className={buttonClasses("primary", "md", "ml-2")}>
          Start free
        </Link>
      </nav>
      <div className="ml-auto flex items-center gap-2 sm:hidden">
        <Link href="/sign-up" className={buttonClasses("primary", "sm")}>
          Start free
        </Link>
        <MobileMenu>
          <nav aria-label="Main">
            <Link href="/pricing" className={MENU_ITEM}>
              Pricing
            </Link>
            <Link href="/sign-in" className={MENU_ITEM}>
              Sign in
            </Link>
          </nav>
        </MobileMenu>
      </div>
    </>
  );
}

function SignedInNav({ viewer }: { viewer: Viewer }) {
  const appLinks = (linkClass: string, opsClass: string) => (
    <>
      {APP_LINKS.map((link) => (
        <Link key={link.href} href={link.href} className={linkClass}>
          {link.label}
        </Link>
      ))}
      {viewer.operatorRole ? (
        <Link href="/admin/ops" className={opsClass}>
          Ops
        </Link>
      ) : null}
    </>
  );
  return (
    <>
      <nav aria-label="Main" className="hidden items-center gap-1 sm:flex">
        {appLinks(NAV_LINK, OPS_LINK)}
      </nav>
      <div className="ml-auto hidden items-center gap-3 sm:flex">
        {viewer.org ? (
          <span className="hidden max-w-48 truncate text-sm font-medium text-slate-600 lg:block">
            {viewer.org.name}
          </span>
        ) : null}
        <UserMenu viewer={viewer} />
      </div>
      <div className="ml-auto sm:hidden">
        <MobileMenu>
          <nav aria-label="Main" className="flex flex-col gap-0.5">
            {appLinks(MENU_ITEM, OPS_MENU_ITEM)}
          </nav>
          <hr className="my-2 border-slate-200" />
          <AccountSection viewer={viewer} />
        </MobileMenu>
      </div>
    </>
  );
}

// <details> gives a keyboard- and screen-reader-friendly disclosure without shipping client JS.
function MobileMenu({ children }: { children: ReactNode }) {
  return (
    <details className="sm:hidden">
      <summary className="flex size-10 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100">
        <span className="sr-only">Menu</span>
        <MenuIcon />
      </summary>
      <div className={`${PANEL} inset-x-2 top-full`}>{children}</div>
    </details>
  );
}

function UserMenu({ viewer }: { viewer: Viewer }) {
  const label = viewer.user.name ?? viewer.user.email;
  return (
    <details className="relative">
      <summary className="flex items-center gap-1 rounded-full p-1 text-slate-600 hover:bg-slate-100">
        <span
          aria-hidden="true"
          className="flex size-8 items-center justify-center rounded-full bg-indigo-600 text-sm font-semibold text-white"
        >
          {label.trim().charAt(0).toUpperCase()}
        </span>
        <span className="sr-only">Account menu for {label}</span>
        <ChevronIcon />
      </summary>
      <div className={`${PANEL} right-0 w-64`}>
        <AccountSection viewer={viewer} />
      </div>
    </details>
  );
}

function AccountSection({ viewer }: { viewer: Viewer }) {
  const { user, org, orgs } = viewer;
  return (
    <div>
      <div className="px-3 py-2">
        <p className="truncate text-sm font-medium text-slate-900">{user.name ?? user.email}</p>
        {user.name ? <p className="truncate text-xs text-slate-500">{user.email}</p> : null}
        {org && orgs.length <= 1 ? <p className="mt-1 truncate text-xs text-slate-500">{org.name}</p> : null}
      </div>
      {orgs.length > 1 ? (
        <OrgSwitcher orgs={orgs.map(({ id, name, plan }) => ({ id, name, plan }))} currentOrgId={org?.id ?? null} />
      ) : null}
      <nav aria-label="Account" className="border-t border-slate-100 pt-1">
        {ACCOUNT_LINKS.map((link) => (
          <Link key={link.href} href={link.href} className={MENU_ITEM}>
            {link.label}
          </Link>
        ))}
      </nav>
      <form action={signOutAction} className="mt-1 border-t border-slate-100 pt-1">
        <button type="submit" className={MENU_ITEM}>
          Sign out
        </button>
      </form>
    </div>
  );
}

function VerifyEmailBanner() {
  return (
    <div className="border-t border-amber-200 bg-amber-50">
      <p className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm text-amber-900 sm:px-6">
        <span>Confirm your e-mail address — we sent you a link.</span>
        <Link
          href="/verify-email/resend"
          className="rounded font-semibold underline underline-offset-2 hover:text-amber-950"
        >
          Resend the link
        </Link>
      </p>
    </div>
  );
}

function BeaconMark() {
  return (
    <svg
      viewBox="0 0 24 24"
      className="size-7 text-indigo-600"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      aria-hidden="true"
    >
      <circle cx="12" cy="12" r="2.5" fill="currentColor" />
      <path d="M8.5 8.5a5 5 0 0 0 0 7M15.5 8.5a5 5 0 0 1 0 7M5.6 5.6a9 9 0 0 0 0 12.8M18.4 5.6a9 9 0 0 1 0 12.8" />
    </svg>
  );
}

function MenuIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      className="size-6"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      aria-hidden="true"
    >
      <path d="M4 7h16M4 12h16M4 17h16" />
    </svg>
  );
}

function ChevronIcon() {
  return (
    <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden="true">
      <path
        fillRule="evenodd"
        d="M5.23 7.21a.75.75 0 0 1 1.06.02L10 11.06l3.71-3.83a.75.75 0 1 1 1.08 1.04l-4.25 4.39a.75.75 0 0 1-1.08 0L5.21 8.27a.75.75 0 0 1 .02-1.06Z"
        clipRule="evenodd"
      />
    </svg>
  );
}
