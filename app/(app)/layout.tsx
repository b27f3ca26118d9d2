import type { ReactNode } from "react";

export const dynamic = "force-dynamic";

export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="mx-auto w-full max-w-5xl px-4 py-8 sm:px-6">
      {children}
    </main>
  );
}
