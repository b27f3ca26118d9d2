/** ops_viewer sees addresses masked: enough to tell two apart, not enough to contact anyone. */
export function maskEmail(address: string) {
  const [local = "", domain = ""] = address.split("@");
  const visible = local.slice(0, 1);
  return `${visible}${"*".repeat(Math.max(local.length - 1, 2))}@${domain.replace(/^[^.]+/, (d) => `${d.slice(0, 1)}***`)}`;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Every address inside free text masked (subjects, errors, payloads as JSON text). */
export function maskEmailsIn(text: string) {
  return text.replace(EMAIL, (m) => maskEmail(m));
}
