import { readablePhone, type NoticeContact } from "@/lib/opportunities";

const ROLE: Record<NoticeContact["type"], string> = { primary: "Primary contact", secondary: "Secondary contact" };

/** The notice's points of contact, each with a mail and a phone link where SAM.gov gives them. */
export function NoticeContacts({ contacts }: { contacts: NoticeContact[] }) {
  return (
    <section aria-labelledby="contacts-heading">
      <h2 id="contacts-heading" className="mb-2 text-lg font-semibold text-slate-900">
        Points of contact
      </h2>
      {contacts.length === 0 ? (
        <p className="text-sm text-slate-600">SAM.gov names no point of contact for this notice.</p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2" data-testid="notice-contacts">
          {contacts.map((c, i) => (
            <li key={i} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
              <p className="text-xs font-medium tracking-wide text-slate-600 uppercase">{ROLE[c.type]}</p>
              <p className="mt-1 font-medium break-words text-slate-900">{c.name ?? "Name not given"}</p>
              {c.title ? <p className="text-slate-600">{c.title}</p> : null}
              {c.email ? (
                <p className="mt-1">
                  <a href={`mailto:${c.email}`} className="break-all text-indigo-700 underline">
                    {c.email}
                  </a>
                </p>
              ) : null}
              {c.phone ? (
                <p className="mt-1">
                  <a href={`tel:${c.phone.replace(/[^\d+]/g, "")}`} className="text-indigo-700 underline">
                    {readablePhone(c.phone)}
                  </a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
