import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { SiteHeader } from "@/components/nav/site-header";
import { getViewer } from "@/lib/auth/next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Beacon — federal contracts that fit your business", template: "%s · Beacon" },
  description:
    "Beacon matches SAM.gov contract opportunities to your NAICS codes and keywords: instant matches, daily e-mail alerts and a search API.",
  applicationName: "Beacon",
};

export const viewport: Viewport = { themeColor: "#4f46e5" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        <a
          href="#main"
          className="fixed top-2 left-2 z-50 -translate-y-24 rounded-md bg-white px-4 py-2 text-sm font-medium text-indigo-700 shadow focus:translate-y-0"
        >
          Skip to content
        </a>
        {/* The header reads the session cookie; the boundary keeps the rest of the page streaming. */}
        <Suspense fallback={<HeaderPlaceholder />}>
          <SiteHeader />
        </Suspense>
        {/* Each route group's layout (or page) renders the page's own <main id="main">. */}
        <div className="flex flex-1 flex-col">{children}</div>
        <Suspense fallback={null}>
          <SiteFooter />
        </Suspense>
      </body>
    </html>
  );
}

function HeaderPlaceholder() {
  return <div className="h-16 border-b border-slate-200 bg-white" aria-hidden="true" />;
}

async function SiteFooter() {
  const signedIn = Boolean(await getViewer());
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-col gap-4 px-4 py-8 text-sm text-slate-600 sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>
          <span className="font-semibold text-slate-900">Beacon</span> — federal contract opportunities from SAM.gov,
          matched to your business.
        </p>
        <nav aria-label="Footer" className="flex flex-wrap gap-x-5 gap-y-2">
          <Link href="/pricing" className="rounded hover:text-slate-900">
            Pricing
          </Link>
          {signedIn ? (
            <>
              <Link href="/opportunities" className="rounded hover:text-slate-900">
                Opportunities
              </Link>
              <Link href="/settings/account" className="rounded hover:text-slate-900">
                Account
              </Link>
            </>
          ) : (
            <>
              <Link href="/sign-in" className="rounded hover:text-slate-900">
                Sign in
              </Link>
              <Link href="/sign-up" className="rounded hover:text-slate-900">
                Create an account
              </Link>
            </>
          )}
        </nav>
      </div>
    </footer>
  );
}
