import type { ComponentProps } from "react";

const INPUT_CLASSES =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-base text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 " +
  "placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-600 focus-visible:outline-none sm:text-sm " +
  "disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500 " +
  "aria-invalid:text-red-900 aria-invalid:ring-red-500 aria-invalid:focus:ring-red-600";

/** A text input; every prop (including `ref`) is passed through to the `<input>`. */
export function Input({ className, ...props }: ComponentProps<"input">) {
  // text-base below sm keeps iOS Safari from zooming into the field on focus.
  return <input {...props} className={className ? `${INPUT_CLASSES} ${className}` : INPUT_CLASSES} />;
}
