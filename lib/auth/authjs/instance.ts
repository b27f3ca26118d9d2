import NextAuth from "next-auth";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { db } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { appUrl, authSecret } from "@/lib/env";
import { findUserByEmail, sha256 } from "@/lib/orgs";
import { sendEmailNow } from "@/lib/outbox";
import { logger } from "@/lib/observability";
import { SESSION_MAX_AGE_S } from "../sessions";

const MAGIC_LINK_MAX_AGE_S = 15 * 60;

/**
 * Auth.js handles magic-link sign-in, database sessions and sign-out. Password sign-in creates
 * rows in the same `sessions` table with the same cookie (lib/auth/accounts), because Auth.js's
 * Credentials provider only supports JWT sessions.
 */
export const { handlers, signIn, signOut } = NextAuth(() => ({
  adapter: DrizzleAdapter(db(), {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  }),
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "database", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in/error" },
  providers: [
    {
      id: "email",
      type: "email",
      name: "E-mail link",
      from: "Beacon",
      maxAge: MAGIC_LINK_MAX_AGE_S,
      options: {},
      async sendVerificationRequest({ identifier, url }) {
        const existing = await findUserByEmail(identifier);
        if (!existing) {
          // No account: say so only to the mailbox owner; the page looks the same either way.
          await sendEmailNow({
            dedupeKey: `magic_link_no_account:${sha256(url)}`,
            email: {
              kind: "magic_link_no_account",
              to: identifier,
              subject: "Sign in to Beacon",
              text: `Someone asked for a sign-in link for this address, but it has no Beacon account.\n\nCreate one: ${appUrl()}/sign-up`,
            },
          });
          return;
        }
        // The link holds a fresh token, so it is its own dedupe key (hashed: the key is not secret).
        await sendEmailNow({
          dedupeKey: `magic_link:${sha256(url)}`,
          email: {
            kind: "magic_link",
            to: identifier,
            subject: "Your Beacon sign-in link",
            text: "Sign in to Beacon: {{link}}\n\nThe link works once and expires in 15 minutes. If you did not ask for it, ignore this e-mail.",
            secrets: { link: url },
          },
        });
      },
    },
  ],
  // Auth.js prints stacks by default; an expired or reused link is routine, not a crash.
  logger: {
    error(error) {
      const type = (error as { type?: string }).type ?? error.name;
      const expected = type === "Verification" || type === "AccessDenied";
      logger[expected ? "info" : "error"]({ authError: type, err: expected ? undefined : error }, "auth.js");
    },
    warn(code) {
      logger.warn({ authWarning: code }, "auth.js");
    },
  },
  callbacks: {
    // Magic links only sign in existing accounts; sign-up (with its organisation) is explicit.
    async signIn({ user, email }) {
      if (email?.verificationRequest) return true;
      return Boolean(user.email && (await findUserByEmail(user.email)));
    },
    async redirect({ url, baseUrl }) {
      if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
      try {
        if (new URL(url).origin === baseUrl) return url;
      } catch {
        // Not a URL: fall through to the safe default.
      }
      return `${baseUrl}/dashboard`;
    },
  },
}));
