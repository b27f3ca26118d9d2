import { cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";
import { Label } from "./label";

export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

export interface FieldProps {
  /** The control's id; the hint and error ids are derived from it. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  required?: boolean;
  className?: string;
  /** One control element (it receives id and aria props) or a render function for custom controls. */
  children: ReactElement | ((control: FieldControlProps) => ReactNode);
}

/** Label + control + hint + inline error, with the accessibility wiring done once. */
export function Field({ id, label, hint, error, required, className, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const control: FieldControlProps = { id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined };

  return (
    <div className={["space-y-1.5", className].filter(Boolean).join(" ")}>
      <Label htmlFor={id} required={required}>
        {label}
      </Label>
      {typeof children === "function"
        ? children(control)
        : isValidElement<Partial<FieldControlProps>>(children)
          ? cloneElement(children, control)
          : children}
      {hint ? (
        <p id={hintId} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
