import nodemailer, { type Transporter } from "nodemailer";
import { eq } from "drizzle-orm";
import { type DbOrTx } from "@/db/client";
import { emailMessages } from "@/db/schema";
import { env, isProduction } from "@/lib/env";
import { logger } from "@/lib/observability";

export interface EmailMessage {
  /** What the e-mail is for (`verify_email`, `alert_digest`, …); kept on the record. */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  orgId?: string | null;
}

export type EmailTransport = "smtp" | "log";

let transporter: Transporter | undefined;
let transporterUrl: string | undefined;

function smtpTransport(url: string) {
  if (!transporter || transporterUrl !== url) {
    // Bounded waits: a hung mail server must not hold a delivery (and its lease) for minutes.
    transporter = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as Parameters<typeof nodemailer.createTransport>[0]);
    transporterUrl = url;
  }
  return transporter;
}

export function currentEmailTransport(): EmailTransport {
  return env().SMTP_URL ? "smtp" : "log";
}

/**
 * Keeps e-mails in `email_messages` (what a customer was sent, and where development without
 * SMTP reads its links), written with the change that causes them. Each `id` is the outbox
 * event's id, so the record and its delivery share one identity.
 */
export async function recordEmails(tx: DbOrTx, emails: readonly { id: string; message: EmailMessage }[]) {
  if (emails.length === 0) return;
  const transport = currentEmailTransport();
  await tx.insert(emailMessages).values(
    emails.map(({ id, message }) => ({
      id,
      orgId: message.orgId ?? null,
      kind: message.kind,
      toAddress: message.to,
      subject: message.subject,
      textBody: message.text,
      htmlBody: message.html ?? null,
      transport,
    })),
  );
}

/**
 * Hands the message to the SMTP server when SMTP_URL is set; without it (local development,
 * e2e) the message and its links go to the server log and stay readable in the database.
 * Throws when the SMTP server refuses or cannot be reached: the outbox retries.
 */
export async function transmitEmail(id: string, message: EmailMessage): Promise<EmailTransport> {
  const config = env();
  if (!config.SMTP_URL) {
    if (isProduction(config)) {
      logger.warn({ emailId: id, kind: message.kind }, "SMTP_URL is not set: e-mail stored but not sent");
    } else {
      logger.info({ emailId: id, kind: message.kind, to: message.to, subject: message.subject }, `e-mail (not sent, no SMTP_URL):\n${message.text}`);
    }
    return "log";
  }
  await smtpTransport(config.SMTP_URL).sendMail({
    from: config.MAIL_FROM,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    // Receivers can drop a duplicate if a delivery is ever repeated after a lost acknowledgement.
    messageId: `<${id}@beacon.outbox>`,
  });
  return "smtp";
}

/** The outcome of one delivery attempt, on the e-mail's record. */
export async function markEmailAttempt(tx: DbOrTx, id: string, outcome: { transport: EmailTransport; sentAt: Date } | { error: string }) {
  const values = "error" in outcome ? { error: outcome.error } : { transport: outcome.transport, sentAt: outcome.sentAt, error: null };
  await tx.update(emailMessages).set(values).where(eq(emailMessages.id, id));
}
