import type { ReactNode } from "react";

export interface EmptyStateProps {
  title: ReactNode;
  description?: ReactNode;
  /** What the user can do next, e.g. a "Create alert" button. */
  action?: ReactNode;
  icon?: ReactNode;
  as?: "h2" | "h3";
  className?: string;
}

export function EmptyState({ title, description, action, icon, as: Heading = "h2", className }: EmptyStateProps) {
  return (
    <div
      className={["rounded-xl border-2 border-dashed border-slate-300 bg-white px-6 py-12 text-center", className]
        .filter(Boolean)
        .join(" ")}
    >
      {icon ? (
        <div
          className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-500"
          aria-hidden="true"
        >
          {icon}
        </div>
      ) : null}
      <Heading className="text-base font-semibold text-slate-900">{title}</Heading>
      {description ? <p className="mx-auto mt-2 max-w-md text-sm text-slate-600">{description}</p> : null}
      {action ? <div className="mt-6 flex flex-wrap justify-center gap-2">{action}</div> : null}
    </div>
  );
}
