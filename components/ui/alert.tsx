import type { ReactNode } from "react";

export type AlertTone = "info" | "success" | "warning" | "error";

const TONES: Record<AlertTone, string> = {
  info: "border-indigo-300 bg-indigo-50 text-indigo-900",
  success: "border-emerald-300 bg-emerald-50 text-emerald-900",
  warning: "border-amber-300 bg-amber-50 text-amber-900",
  error: "border-red-300 bg-red-50 text-red-900",
};

export interface AlertProps {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  /** Optional trailing action, e.g. a retry button or a link. */
  action?: ReactNode;
  className?: string;
}

/** A message box; errors and warnings interrupt screen readers (role=alert), the rest are polite (role=status). */
export function Alert({ tone = "info", title, children, action, className }: AlertProps) {
  return (
    <div
      role={tone === "error" || tone === "warning" ? "alert" : "status"}
      className={[
        "flex flex-wrap items-start gap-3 rounded-lg border-l-4 border-y border-r px-4 py-3 text-sm",
        TONES[tone],
        className,
      ]
        .filter(Boolean)
        .join(" ")}
    >
      <div className="min-w-0 flex-1 space-y-1">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div>{children}</div> : null}
      </div>
      {action ? <div className="shrink-0">{action}</div> : null}
    </div>
  );
}
