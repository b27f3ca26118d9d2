import nodemailer, { type Transporter } from "nodemailer";
import { sql } from "drizzle-orm";
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
  /** A one-click unsubscribe URL: sent as `List-Unsubscribe` + `List-Unsubscribe-Post` (RFC 8058). */
  unsubscribe?: string;
  orgId?: string | null;
  /** It carried a sign-in link: the record's body shows the link hidden, and views never list the body. */
  sensitive?: boolean;
}

export type EmailTransport = "smtp" | "log";

let transporter: Transporter | undefined;
let transporterUrl: string | undefined;

function smtpTransport(url: string) {
  if (!transporter || transporterUrl !== url) {
    // Bounded waits: a hung mail server must not hold a delivery (and its lease) for minutes.
    transporter = nodemailer.createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    } as Parameters<typeof nodemailer.createTransport>[0]);
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
      sensitive: message.sensitive ?? false,
      transport,
    })),
  );
}

/**
 * Hands the message to the SMTP server when SMTP_URL is set. Without it the message goes to the
 * server log instead: whole in development (`next dev`: the developer's terminal is their
 * inbox), with its sign-in links hidden (`recordedText`) anywhere else, and not at all in
 * production. Throws when the SMTP server refuses or cannot be reached: the outbox retries.
 */
export async function transmitEmail(
  id: string,
  message: EmailMessage,
  recordedText: string = message.text,
): Promise<EmailTransport> {
  const config = env();
  if (!config.SMTP_URL) {
    if (isProduction(config)) {
      logger.warn({ emailId: id, kind: message.kind }, "SMTP_URL is not set: e-mail stored but not sent");
    } else {
      const text = config.NODE_ENV === "development" ? message.text : recordedText;
      logger.info(
        { emailId: id, kind: message.kind, to: message.to, subject: message.subject },
        `e-mail (not sent, no SMTP_URL):\n${text}`,
      );
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
    headers: {
      "X-Beacon-Kind": message.kind,
      ...(message.unsubscribe
        ? { "List-Unsubscribe": `<${message.unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
        : {}),
    },
  });
  return "smtp";
}

export type EmailAttemptOutcome = { transport: EmailTransport; sentAt: Date } | { error: string };

/** The outcomes of delivery attempts, on the e-mails' records, in one statement. */
export async function markEmailAttempts(tx: DbOrTx, attempts: readonly { id: string; outcome: EmailAttemptOutcome }[]) {
  if (attempts.length === 0) return;
  const values = sql.join(
    attempts.map(({ id, outcome }) =>
      "error" in outcome
        ? sql`(${id}::uuid, null::text, null::timestamptz, ${outcome.error}::text)`
        : sql`(${id}::uuid, ${outcome.transport}::text, ${outcome.sentAt.toISOString()}::timestamptz, null::text)`,
    ),
    sql`, `,
  );
  await tx.execute(sql`
    update ${emailMessages} as m set
      transport = coalesce(v.transport, m.transport),
      sent_at = coalesce(v.sent_at, m.sent_at),
      error = v.error
    from (values ${values}) as v(id, transport, sent_at, error)
    where m.id = v.id`);
}
