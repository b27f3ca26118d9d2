import type { ComponentProps } from "react";

export interface LabelProps extends ComponentProps<"label"> {
  /** Adds a visual marker; the input itself should carry `required` for assistive tech. */
  required?: boolean;
}

export function Label({ className, required, children, ...props }: LabelProps) {
  return (
    <label {...props} className={["block text-sm font-medium text-slate-900", className].filter(Boolean).join(" ")}>
      {children}
      {required ? (
        <span className="ml-0.5 text-red-600" aria-hidden="true">
          *
        </span>
      ) : null}
    </label>
  );
}
