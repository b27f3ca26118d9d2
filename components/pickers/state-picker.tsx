"use client";

import { useId, useState } from "react";
import { Input } from "@/components/ui";
import { Chip } from "./chip";

export interface StateOption {
  code: string;
  name: string;
}

/** Places of performance: chosen states as chips, and a filterable list of checkboxes. */
export function StatePicker({
  filterId,
  states,
  selected,
  onChange,
  describedBy,
}: {
  filterId: string;
  /** Every place to choose from (lib/onboarding/options.ts US_STATES, passed by the server page). */
  states: readonly StateOption[];
  selected: string[];
  onChange: (next: string[]) => void;
  describedBy?: string;
}) {
  const [filter, setFilter] = useState("");
  const countId = useId();
  const needle = filter.trim().toLowerCase();
  const shown = states.filter(
    (s) => !needle || s.name.toLowerCase().includes(needle) || s.code.toLowerCase() === needle,
  );
  const toggle = (code: string, on: boolean) => onChange(on ? [...selected, code] : selected.filter((c) => c !== code));

  return (
    <div className="space-y-2">
      {selected.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Chosen states">
          {selected.map((code) => (
            <Chip
              key={code}
              removeLabel={`Remove ${states.find((s) => s.code === code)?.name ?? code}`}
              onRemove={() => toggle(code, false)}
            >
              {code}
            </Chip>
          ))}
        </ul>
      ) : null}
      <label htmlFor={filterId} className="sr-only">
        Filter states
      </label>
      <Input
        id={filterId}
        type="search"
        placeholder="Filter states, e.g. Virginia"
        autoComplete="off"
        value={filter}
        aria-describedby={[describedBy, countId].filter(Boolean).join(" ")}
        onChange={(e) => setFilter(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") e.preventDefault();
        }}
      />
      <p id={countId} className="sr-only" aria-live="polite">
        {needle ? `${shown.length} state${shown.length === 1 ? "" : "s"} shown` : ""}
      </p>
      <div className="max-h-56 overflow-y-auto rounded-md p-1 ring-1 ring-slate-200 ring-inset">
        <ul className="grid grid-cols-1 gap-x-4 min-[400px]:grid-cols-2 sm:grid-cols-3">
          {shown.map((s) => (
            <li key={s.code}>
              <label className="flex min-h-10 cursor-pointer items-center gap-2 rounded px-2 text-sm text-slate-900 hover:bg-slate-50">
                <input
                  type="checkbox"
                  className="size-4 rounded border-slate-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                  checked={selected.includes(s.code)}
                  onChange={(e) => toggle(s.code, e.target.checked)}
                />
                <span>
                  {s.name} <span className="text-slate-500">({s.code})</span>
                </span>
              </label>
            </li>
          ))}
          {shown.length === 0 ? (
            <li className="px-2 py-2 text-sm text-slate-600">No state matches “{filter}”.</li>
          ) : null}
        </ul>
      </div>
    </div>
  );
}
