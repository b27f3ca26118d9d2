import nodemailer, { type Transporter } from "nodemailer";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { emailMessages } from "@/db/schema";
import { env, isProduction } from "@/lib/env";
import { logger } from "@/lib/observability";

export interface EmailMessage {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  orgId?: string | null;
}

let transporter: Transporter | undefined;
let transporterUrl: string | undefined;

function smtpTransport(url: string) {
  if (!transporter || transporterUrl !== url) {
    // Bounded waits: a hung mail server must not hold a sign-up request for minutes.
    transporter = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as Parameters<typeof nodemailer.createTransport>[0]);
    transporterUrl = url;
  }
  return transporter;
}

/**
 * Records the message, then delivers it over SMTP when SMTP_URL is set. Without SMTP (local
 * development) the message and its links go to the server log instead, and stay viewable
 * in the database. Delivery failures are recorded on the row, never thrown at the caller:
 * a sign-up must not fail because the mail server hiccups.
 */
export async function sendEmail(message: EmailMessage): Promise<{ id: string; delivered: boolean }> {
  const config = env();
  const transport = config.SMTP_URL ? "smtp" : "log";
  const [row] = await db()
    .insert(emailMessages)
    .values({
      orgId: message.orgId ?? null,
      kind: message.kind,
      toAddress: message.to,
      subject: message.subject,
      textBody: message.text,
      htmlBody: message.html ?? null,
      transport,
    })
    .returning({ id: emailMessages.id });
  const id = row!.id;

  if (!config.SMTP_URL) {
    if (isProduction(config)) {
      logger.warn({ emailId: id, kind: message.kind }, "SMTP_URL is not set: e-mail stored but not sent");
    } else {
      logger.info({ emailId: id, kind: message.kind, to: message.to, subject: message.subject }, `e-mail (not sent, no SMTP_URL):\n${message.text}`);
    }
    await db().update(emailMessages).set({ sentAt: new Date() }).where(eq(emailMessages.id, id));
    return { id, delivered: false };
  }

  try {
    await smtpTransport(config.SMTP_URL).sendMail({
      from: config.MAIL_FROM,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    await db().update(emailMessages).set({ sentAt: new Date() }).where(eq(emailMessages.id, id));
    return { id, delivered: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await db().update(emailMessages).set({ error: reason.slice(0, 500) }).where(eq(emailMessages.id, id));
    logger.error({ emailId: id, kind: message.kind, err: reason }, "e-mail delivery failed");
    return { id, delivered: false };
  }
}
