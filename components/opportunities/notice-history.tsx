import Link from "next/link";
import { formatDate } from "@/lib/format";
import type { NoticeChange } from "@/lib/opportunities";

/** What changed on this notice and its solicitation since Beacon first read it, newest first. */
export function NoticeHistory({ changes, noticeId }: { changes: NoticeChange[]; noticeId: string }) {
  if (!changes.length) return null;
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading" className="mb-2 text-lg font-semibold text-slate-900">
        History
      </h2>
      <ol className="space-y-3 text-sm" data-testid="notice-history">
        {changes.map((change, i) => (
          <li key={`${change.detected_at}-${change.notice_id}-${i}`}>
            <p className="text-slate-600">
              {formatDate(change.detected_at)} ·{" "}
              {change.kind === "amended" ? (
                "Amended"
              ) : change.notice_id === noticeId ? (
                "New posting (this page)"
              ) : (
                <Link
                  href={`/opportunities/${encodeURIComponent(change.notice_id)}`}
                  className="text-indigo-700 underline"
                >
                  New posting
                </Link>
              )}
            </p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5 break-words text-slate-900">
              {change.summary.map((line, j) => (
                <li key={j}>{line}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
