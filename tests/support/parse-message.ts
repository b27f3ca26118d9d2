export interface ReceivedEmail {
  to: string[];
  kind: string;
  subject: string;
  text: string;
  /** RFC 8058 one-click unsubscribe headers ("" when absent). */
  listUnsubscribe: string;
  listUnsubscribePost: string;
}

function decodeQuotedPrintable(body: string) {
  return body
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A single-part message as nodemailer writes it (text only): headers, then the decoded body. */
export function parseMessage(raw: string, to: string[]): ReceivedEmail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, " ");
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, "");
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const bytes =
    encoding === "quoted-printable"
      ? decodeQuotedPrintable(body)
      : encoding === "base64"
        ? Buffer.from(body, "base64").toString("latin1")
        : body;
  return {
    to,
    kind: header("X-Beacon-Kind"),
    subject: header("Subject"),
    listUnsubscribe: header("List-Unsubscribe"),
    listUnsubscribePost: header("List-Unsubscribe-Post"),
    text: Buffer.from(bytes, "latin1").toString("utf8").replace(/\r\n/g, "\n").trimEnd(),
  };
}
