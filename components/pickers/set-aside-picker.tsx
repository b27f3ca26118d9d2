"use client";

export interface SetAsideOption {
  code: string;
  label: string;
}

/** Set-aside programmes as a list of checkboxes, code and name on each (lib/onboarding/options.ts SET_ASIDE_OPTIONS). */
export function SetAsidePicker({
  idPrefix,
  options,
  selected,
  onChange,
}: {
  idPrefix: string;
  options: readonly SetAsideOption[];
  selected: string[];
  onChange: (next: string[]) => void;
}) {
  return (
    <ul className="grid grid-cols-1 gap-x-4 sm:grid-cols-2">
      {options.map((o) => (
        <li key={o.code}>
          <label className="flex min-h-10 cursor-pointer items-start gap-2 rounded px-1 py-1.5 text-sm text-slate-900 hover:bg-slate-50">
            <input
              id={`${idPrefix}-${o.code}`}
              type="checkbox"
              className="mt-0.5 size-4 shrink-0 rounded border-slate-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
              checked={selected.includes(o.code)}
              onChange={(e) =>
                onChange(e.target.checked ? [...selected, o.code] : selected.filter((c) => c !== o.code))
              }
            />
            <span>
              <span className="font-mono font-medium">{o.code}</span> · {o.label}
            </span>
          </label>
        </li>
      ))}
    </ul>
  );
}
