import type { ComponentProps, ReactNode } from "react";

function join(...parts: (string | undefined)[]) {
  return parts.filter(Boolean).join(" ");
}

export function Card({ className, ...props }: ComponentProps<"div">) {
  return <div {...props} className={join("rounded-xl bg-white shadow-sm ring-1 ring-slate-200", className)} />;
}

export interface CardHeaderProps {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** Keeps the document outline in order; pick the level that fits the page. */
  as?: "h2" | "h3" | "h4";
}

export function CardHeader({ title, description, actions, as: Heading = "h2" }: CardHeaderProps) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-4 py-4 sm:px-6">
      <div className="min-w-0">
        <Heading className="text-base font-semibold text-slate-900">{title}</Heading>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

export function CardBody({ className, ...props }: ComponentProps<"div">) {
  return <div {...props} className={join("px-4 py-5 sm:px-6", className)} />;
}

export function CardFooter({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      {...props}
      className={join(
        "flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 px-4 py-3 sm:px-6",
        className,
      )}
    />
  );
}
