import type { Metadata } from "next";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex w-full max-w-xl flex-col items-center px-4 py-20 text-center sm:py-28">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900 sm:text-4xl">
        We couldn’t find that page
      </h1>
      <p className="mt-4 text-base text-slate-600">
        The link may be old, or the page may belong to an organisation you are not signed in to. Check the address, or
        head back to somewhere familiar.
      </p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        <Link href="/" className={buttonClasses("primary", "md")}>
          Go to the home page
        </Link>
        <Link href="/dashboard" className={buttonClasses("secondary", "md")}>
          Open your dashboard
        </Link>
      </div>
    </main>
  );
}
