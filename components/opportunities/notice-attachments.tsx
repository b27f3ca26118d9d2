/** The files SAM.gov lists with a notice (download links), and any extra link the agency gave. */
export function NoticeAttachments({
  links,
  additionalInfoLink,
  samUrl,
}: {
  links: string[];
  additionalInfoLink: string | null;
  samUrl: string | null;
}) {
  const external = { rel: "noopener noreferrer", target: "_blank" } as const;
  return (
    <section aria-labelledby="attachments-heading">
      <h2 id="attachments-heading" className="mb-2 text-lg font-semibold text-slate-900">
        Attachments and links
      </h2>
      {links.length > 0 ? (
        <ol className="space-y-1 text-sm" data-testid="notice-attachments">
          {links.map((href, i) => (
            <li key={href}>
              <a href={href} className="text-indigo-700 underline" {...external}>
                Attachment {i + 1}
              </a>{" "}
              <span className="text-slate-600">({hostOf(href)})</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-slate-600">
          No attachment links came with this notice
          {samUrl ? (
            <>
              ;{" "}
              <a href={samUrl} className="text-indigo-700 underline" {...external}>
                its SAM.gov page
              </a>{" "}
              lists any files
            </>
          ) : null}
          .
        </p>
      )}
      {additionalInfoLink && /^https?:\/\//i.test(additionalInfoLink) ? (
        <p className="mt-2 text-sm">
          <a href={additionalInfoLink} className="break-all text-indigo-700 underline" {...external}>
            More information from the agency
          </a>
        </p>
      ) : null}
    </section>
  );
}

function hostOf(href: string): string {
  try {
    return new URL(href).host;
  } catch {
    return href;
  }
}
