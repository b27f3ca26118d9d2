"use client";

import { useActionState, useEffect, useState, type FormEvent } from "react";
import { flushSync } from "react-dom";
import { saveProfileAction } from "@/app/(app)/onboarding/actions";
import { Alert, Button, Field, Input } from "@/components/ui";
import type { FormState } from "@/lib/http";
import { COMPANY_NAME_RULES, profileProblems } from "@/lib/onboarding/rules";
import { checkText } from "@/lib/validation/rules";
import { addKeyword, KeywordChips } from "./keyword-chips";
import { NaicsPicker, type NaicsChoice } from "@/components/pickers/naics-picker";
import { SetAsidePicker } from "@/components/pickers/set-aside-picker";
import { draftKey, useProfileDraft, writeDraft, type ProfileDraft } from "./profile-draft";
import { StatePicker, type StateOption } from "@/components/pickers/state-picker";

const IDLE: FormState = { status: "idle" };

type FieldName = "companyName" | "naicsCodes" | "keywords" | "setAsides" | "states";
type FormValues = Omit<ProfileDraft, "basedOn">;

// Where focus goes when a field is wrong.
const FOCUS_TARGET: Record<FieldName, string> = {
  companyName: "companyName",
  naicsCodes: "naics-search",
  keywords: "keyword-input",
  setAsides: "set-aside-SBA",
  states: "state-filter",
};
const FIELD_ORDER: FieldName[] = ["companyName", "naicsCodes", "keywords", "setAsides", "states"];

function serverError(errors: Record<string, string> | undefined, field: FieldName): string | undefined {
  if (!errors) return undefined;
  if (errors[field]) return errors[field];
  const key = Object.keys(errors).find((k) => k.startsWith(`${field}.`));
  return key ? errors[key] : undefined;
}

export interface ProfileStepProps {
  orgId: string;
  /** The saved profile's updatedAt (ISO), or null before the first save. */
  basedOn: string | null;
  initial: FormValues;
  /** The labelled choices (lib/onboarding/options.ts), passed by the server page so they are not in the page's JS. */
  setAsideOptions: readonly { code: string; label: string }[];
  stateOptions: readonly StateOption[];
}

/** Step 1. Unsaved input survives a refresh as a sessionStorage draft until it is saved. */
export function ProfileStep({ orgId, basedOn, initial, setAsideOptions, stateOptions }: ProfileStepProps) {
  const key = draftKey(orgId);
  const draft = useProfileDraft(key, basedOn);
  // The server render has no draft; when the browser finds one the form restarts from it.
  return (
    <ProfileForm
      key={draft ? "draft" : "saved"}
      storageKey={key}
      basedOn={basedOn}
      initial={draft ?? initial}
      restored={Boolean(draft)}
      setAsideOptions={setAsideOptions}
      stateOptions={stateOptions}
    />
  );
}

function ProfileForm({
  storageKey,
  basedOn,
  initial,
  restored,
  setAsideOptions,
  stateOptions,
}: Omit<ProfileStepProps, "orgId"> & { storageKey: string; initial: FormValues; restored: boolean }) {
  const [state, action, pending] = useActionState(saveProfileAction, IDLE);
  const [values, setValues] = useState<FormValues>(initial);
  const [dirty, setDirty] = useState(false);
  const [keywordProblem, setKeywordProblem] = useState<string | null>(null);
  const [clientErrors, setClientErrors] = useState<Partial<Record<FieldName, string | null>>>({});

  useEffect(() => {
    if (dirty) writeDraft(storageKey, { ...values, basedOn });
  }, [dirty, storageKey, basedOn, values]);

  function update(field: FieldName | null, patch: Partial<FormValues>) {
    setValues((prev) => ({ ...prev, ...patch }));
    setDirty(true);
    if (field) setClientErrors((prev) => ({ ...prev, [field]: null }));
  }

  function errorFor(field: FieldName): string | undefined {
    if (field === "keywords" && keywordProblem) return keywordProblem;
    if (field in clientErrors) return clientErrors[field] ?? undefined;
    return serverError(state.fieldErrors, field);
  }

  function payload(v: FormValues) {
    return {
      companyName: v.companyName,
      naicsCodes: v.naics.map((n) => n.code),
      keywords: v.keywords,
      setAsides: v.setAsides,
      states: v.states,
    };
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    let current = values;
    // A keyword typed but not yet added with Enter is added now rather than lost.
    if (values.keywordText.trim()) {
      const added = addKeyword(values.keywords, values.keywordText);
      if (added.problem) {
        event.preventDefault();
        setKeywordProblem(added.problem);
        document.getElementById(FOCUS_TARGET.keywords)?.focus();
        return;
      }
      current = { ...values, keywords: added.keywords, keywordText: "" };
      flushSync(() => setValues(current));
    }
    // The same rules the server's businessProfileSchema is built from (lib/onboarding/rules.ts).
    const errors: Partial<Record<FieldName, string>> = profileProblems(payload(current));
    if (Object.keys(errors).length === 0) {
      setClientErrors({});
      return;
    }
    event.preventDefault();
    setClientErrors(errors);
    const first = FIELD_ORDER.find((f) => errors[f]);
    if (first) document.getElementById(FOCUS_TARGET[first])?.focus();
  }

  const body = payload(values);
  const showSummary = state.status === "error" && state.message;

  return (
    <form action={action} onSubmit={onSubmit} noValidate className="space-y-6">
      {restored ? (
        <Alert tone="info">We kept what you entered earlier on this device. Save it to continue.</Alert>
      ) : null}
      {showSummary ? <Alert tone="error">{state.message}</Alert> : null}
      <input type="hidden" name="naicsCodes" value={JSON.stringify(body.naicsCodes)} />
      <input type="hidden" name="keywords" value={JSON.stringify(body.keywords)} />
      <input type="hidden" name="setAsides" value={JSON.stringify(body.setAsides)} />
      <input type="hidden" name="states" value={JSON.stringify(body.states)} />

      <Field id="companyName" label="Company name" error={errorFor("companyName")} required>
        <Input
          name="companyName"
          autoComplete="organization"
          required
          maxLength={120}
          value={values.companyName}
          onChange={(e) => update("companyName", { companyName: e.target.value })}
          onBlur={(e) => {
            const problem = checkText(COMPANY_NAME_RULES, e.target.value);
            setClientErrors((prev) => ({ ...prev, companyName: problem }));
          }}
        />
      </Field>

      <Field
        id="naics-search"
        label="NAICS codes"
        hint="The industries you work in. Search by words or code; a short code like 5415 covers every code under it."
        error={errorFor("naicsCodes")}
        required
      >
        {(control) => (
          <NaicsPicker
            id={control.id}
            describedBy={control["aria-describedby"]}
            error={errorFor("naicsCodes")}
            selected={values.naics}
            onChange={(naics: NaicsChoice[]) => update("naicsCodes", { naics })}
          />
        )}
      </Field>

      <Field
        id="keyword-input"
        label="Keywords (optional)"
        hint="Words from the work you do. Press Enter or a comma after each; an opportunity matching any of them counts."
        error={errorFor("keywords")}
      >
        {(control) => (
          <KeywordChips
            id={control.id}
            describedBy={control["aria-describedby"]}
            invalid={Boolean(control["aria-invalid"])}
            keywords={values.keywords}
            text={values.keywordText}
            onChange={(next) => {
              update("keywords", { keywords: next.keywords, keywordText: next.text });
              setKeywordProblem(next.problem);
            }}
          />
        )}
      </Field>

      <fieldset className="space-y-2" aria-describedby={errorFor("setAsides") ? "set-asides-error" : "set-asides-hint"}>
        <legend className="text-sm font-medium text-slate-900">Set-asides you qualify for (optional)</legend>
        <p id="set-asides-hint" className="text-sm text-slate-600">
          Leave empty to see every opportunity, set aside or not.
        </p>
        <SetAsidePicker
          idPrefix="set-aside"
          options={setAsideOptions}
          selected={values.setAsides}
          onChange={(setAsides) => update("setAsides", { setAsides })}
        />
        {errorFor("setAsides") ? (
          <p id="set-asides-error" role="alert" className="text-sm font-medium text-red-700">
            {errorFor("setAsides")}
          </p>
        ) : null}
      </fieldset>

      <fieldset className="space-y-2" aria-describedby={errorFor("states") ? "states-error" : "states-hint"}>
        <legend className="text-sm font-medium text-slate-900">Places of performance (optional)</legend>
        <p id="states-hint" className="text-sm text-slate-600">
          Where you can do the work. Leave empty for anywhere.
        </p>
        <StatePicker
          filterId="state-filter"
          states={stateOptions}
          selected={values.states}
          onChange={(states) => update("states", { states })}
        />
        {errorFor("states") ? (
          <p id="states-error" role="alert" className="text-sm font-medium text-red-700">
            {errorFor("states")}
          </p>
        ) : null}
      </fieldset>

      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Button type="submit" pending={pending} className="w-full sm:w-auto">
          Save and continue
        </Button>
      </div>
    </form>
  );
}
