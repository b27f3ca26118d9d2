"use client";

import { useState } from "react";
import { Field } from "@/components/ui";
import { NaicsPicker, type NaicsChoice } from "@/components/pickers/naics-picker";
import { SetAsidePicker } from "@/components/pickers/set-aside-picker";
import { StatePicker } from "@/components/pickers/state-picker";
import { SET_ASIDE_OPTIONS, US_STATES } from "@/lib/onboarding/options";
import { PickerError } from "@/components/pickers/picker-error";

// The search form is a plain GET form: each picker keeps its choice in a hidden input under the
// query key the page reads (a comma-separated list), so the URL still carries every filter.

export function NaicsFilter({ initial, error }: { initial: NaicsChoice[]; error?: string }) {
  const [selected, setSelected] = useState(initial);
  return (
    <Field id="naics" label="NAICS codes" hint="Search by words or code; 5415 covers 541511–541519." error={error}>
      {(control) => (
        <div>
          <input type="hidden" name="naics" value={selected.map((s) => s.code).join(",")} />
          <NaicsPicker
            id={control.id}
            describedBy={control["aria-describedby"]}
            error={error}
            selected={selected}
            onChange={setSelected}
          />
        </div>
      )}
    </Field>
  );
}

export function StateFilter({ initial, error }: { initial: string[]; error?: string }) {
  const [selected, setSelected] = useState(initial);
  return (
    <fieldset className="space-y-2" aria-describedby="state-hint">
      <legend className="text-sm font-medium text-slate-900">Place of performance</legend>
      <p id="state-hint" className="text-sm text-slate-600">
        Leave empty for anywhere.
      </p>
      <input type="hidden" name="state" value={selected.join(",")} />
      <StatePicker
        filterId="state"
        states={US_STATES}
        selected={selected}
        onChange={setSelected}
        describedBy="state-hint"
      />
      <PickerError message={error} />
    </fieldset>
  );
}

export function SetAsideFilter({ initial, error }: { initial: string[]; error?: string }) {
  const [selected, setSelected] = useState(initial);
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-900">Set-asides</legend>
      <input type="hidden" name="set_aside" value={selected.join(",")} />
      <SetAsidePicker idPrefix="set_aside" options={SET_ASIDE_OPTIONS} selected={selected} onChange={setSelected} />
      <PickerError message={error} />
    </fieldset>
  );
}
