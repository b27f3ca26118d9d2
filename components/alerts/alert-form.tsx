"use client";

import { FrequencyFieldset } from "./frequency-fieldset";
import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { Alert, Button, Card, CardBody, CardHeader, Field, Input } from "@/components/ui";
import type { ApiAlert } from "@/lib/alerts";
import { alertProblems, type AlertBody } from "@/lib/alerts/body-rules";
import { DEFAULT_DIGEST_LIMIT, MAX_DIGEST_LIMIT, type AlertFrequency } from "@/lib/alerts/rules";
import { NaicsPicker, type NaicsChoice } from "@/components/pickers/naics-picker";
import { SetAsidePicker } from "@/components/pickers/set-aside-picker";
import { StatePicker } from "@/components/pickers/state-picker";
import type { SetAsideOption } from "@/components/pickers/set-aside-picker";
import type { StateOption } from "@/components/pickers/state-picker";
import { ApiError, apiFetch } from "@/lib/client";
import { PickerError } from "@/components/pickers/picker-error";

type FieldName = "name" | "frequency" | "q" | "naics" | "states" | "set_asides" | "delivery_email" | "digest_limit";
type TextField = "name" | "q" | "delivery_email" | "digest_limit";
// The same pickers as onboarding's profile: codes are chosen, never typed free-form.
type Values = Record<TextField, string> & {
  frequency: AlertFrequency;
  nothing_new_email: boolean;
  naics: NaicsChoice[];
  states: string[];
  set_asides: string[];
  channel_ids: string[];
};

/** One of the org's channels an alert can post to (Settings → Channels). */
export interface ChannelChoice {
  id: string;
  name: string;
  kindLabel: string;
  enabled: boolean;
}

const EMPTY: Values = {
  name: "",
  frequency: "daily",
  q: "",
  naics: [],
  states: [],
  set_asides: [],
  delivery_email: "",
  digest_limit: String(DEFAULT_DIGEST_LIMIT),
  nothing_new_email: false,
  channel_ids: [],
};
const ORDER: FieldName[] = [
  "name",
  "frequency",
  "q",
  "naics",
  "states",
  "set_asides",
  "delivery_email",
  "digest_limit",
];
const LIST_FIELDS = new Set<FieldName>(["naics", "states", "set_asides"]);
const fieldIds = (prefix: string) => ({
  naics: `${prefix}-naics`,
  states: `${prefix}-states`,
  set_asides: `${prefix}-set-aside-SBA`,
});

/** An existing alert as the form's values: what the edit form starts from. */
function valuesOf(alert: ApiAlert, naicsTitles: Readonly<Record<string, string>>): Values {
  return {
    name: alert.name,
    frequency: alert.frequency,
    q: alert.q ?? "",
    naics: alert.naics.map((code) => ({ code, title: naicsTitles[code] ?? "" })),
    states: alert.states,
    set_asides: alert.set_asides,
    delivery_email: alert.delivery_email,
    digest_limit: String(alert.digest_limit),
    nothing_new_email: alert.nothing_new_email,
    channel_ids: alert.channel_ids,
  };
}

/**
 * The form's values → the request body; the server normalises it. `hadChannels`: the alert being
 * edited posts to channels, so an emptied choice is sent (as `[]`) to clear them.
 */
function toBody(values: Values, hadChannels = false): AlertBody {
  return {
    name: values.name,
    frequency: values.frequency,
    q: values.q,
    naics: values.naics.map((choice) => choice.code),
    states: values.states,
    set_asides: values.set_asides,
    delivery_email: values.delivery_email.trim() || undefined,
    digest_limit: values.digest_limit,
    // Instant alerts never send it: the box is hidden for them, and an unseen tick is not sent.
    nothing_new_email: values.frequency !== "instant" && values.nothing_new_email,
    // Only sent when chosen or cleared: an org without channels on its plan never sends the field.
    ...(values.channel_ids.length > 0 || hadChannels ? { channel_ids: values.channel_ids } : {}),
  };
}

/** Issues (the rules' or the server's `errors`) → one message per field; list items name the bad value. */
function errorsOf(
  issues: { path: PropertyKey[]; message: string }[],
  body: AlertBody,
): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "name") as FieldName;
    if (out[field]) continue;
    const index = issue.path[1];
    const list = LIST_FIELDS.has(field) ? (body[field as "naics"] as string[]) : null;
    out[field] =
      list && typeof index === "number" && list[index] !== undefined
        ? `“${list[index]}”: ${issue.message}`
        : issue.message;
  }
  return out;
}

/** The rules' problems as issues with a path, like the server's `errors`. */
function issuesOf(body: AlertBody) {
  return Object.entries(alertProblems(body)).map(([field, problem]) => ({
    path: problem.index === null ? [field] : [field, problem.index],
    message: problem.message,
  }));
}

/** The choices the pickers offer come from the server page, so the lists stay out of the page's JavaScript. */
export interface PickerChoices {
  states: readonly StateOption[];
  setAsides: readonly SetAsideOption[];
}

/** What the form edits: an alert, and how to leave the form without saving. */
export interface AlertEditing {
  alert: ApiAlert;
  /** Titles of the alert's NAICS codes, for its chips. */
  naicsTitles: Readonly<Record<string, string>>;
  onCancel: () => void;
}

/**
 * The alert form: a new alert (POST), or with `editing` an existing one (PATCH with the same
 * fields, checked by the same rules; `prefer` and the pause switch are left as they are).
 */
export function AlertForm({
  atLimit = false,
  onSaved,
  choices,
  channels = [],
  editing,
}: {
  atLimit?: boolean;
  onSaved: (alert: ApiAlert) => void;
  choices: PickerChoices;
  /** The org's channels; empty (or a plan without channels) shows no channel choice. */
  channels?: ChannelChoice[];
  editing?: AlertEditing;
}) {
  const prefix = editing ? `edit-alert-${editing.alert.id}` : "alert";
  const hadChannels = (editing?.alert.channel_ids.length ?? 0) > 0;
  const FIELD_IDS = fieldIds(prefix);
  const [values, setValues] = useState<Values>(() => (editing ? valuesOf(editing.alert, editing.naicsTitles) : EMPTY));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [created, setCreated] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const save = useMutation({
    mutationFn: (body: AlertBody) =>
      editing
        ? apiFetch<ApiAlert>(`/api/app/alerts/${editing.alert.id}`, { method: "PATCH", body })
        : apiFetch<ApiAlert>("/api/app/alerts", { method: "POST", body }),
    onSuccess: (alert) => {
      if (!editing) setValues(EMPTY);
      setErrors({});
      setCreated(alert.name);
      onSaved(alert);
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      const issues = Object.entries(error.fieldErrors).map(([path, message]) => ({
        path: path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        message,
      }));
      const next = errorsOf(issues, toBody(values, hadChannels));
      setErrors(next);
      focusFirst(next);
    },
  });

  function focusFirst(next: Partial<Record<FieldName, string>>) {
    const first = ORDER.find((f) => next[f]);
    if (!first) return;
    const target =
      first === "frequency"
        ? `[name="frequency"]:checked`
        : LIST_FIELDS.has(first)
          ? `#${FIELD_IDS[first as "naics"]}`
          : `[name="${first}"]`;
    formRef.current?.querySelector<HTMLElement>(target)?.focus();
  }

  function update<F extends keyof Values>(field: F, value: Values[F]) {
    setValues((prev) => ({ ...prev, [field]: value }));
    setCreated(null);
  }

  // Inline: a field is checked when it loses focus, with the rules the server's schema is built from.
  function validateField(field: FieldName) {
    const body = toBody(values, hadChannels);
    const value = body[field];
    if (value === "" || value === undefined || (Array.isArray(value) && value.length === 0))
      return setErrors((prev) => ({ ...prev, [field]: undefined }));
    setErrors((prev) => ({ ...prev, [field]: errorsOf(issuesOf(body), body)[field] }));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = toBody(values, hadChannels);
    const next = errorsOf(issuesOf(body), body);
    if (Object.keys(next).length > 0) {
      setErrors(next);
      focusFirst(next);
      return;
    }
    setErrors({});
    save.mutate(body);
  }

  const text = (field: TextField) => ({
    name: field,
    value: values[field],
    onChange: (e: { target: { value: string } }) => update(field, e.target.value),
    onBlur: () => validateField(field),
  });
  const showGeneralError = !Object.values(errors).some(Boolean);

  return (
    <Card>
      <CardHeader
        title={editing ? `Edit “${editing.alert.name}”` : "New alert"}
        description={
          editing
            ? "Changes apply from the next digest: it sends what is new since the last one, by the new filters."
            : "Save a search; Beacon e-mails you the opportunities that are new since the last digest. It never sends the back catalogue."
        }
      />
      <CardBody>
        {atLimit && !editing ? (
          <Alert tone="warning" className="mb-4" title="Your plan’s alerts are all in use">
            Pause or delete an alert, or{" "}
            <Link className="font-medium underline" href="/pricing">
              upgrade your plan
            </Link>
            , to add another.
          </Alert>
        ) : null}
        <form
          ref={formRef}
          onSubmit={submit}
          noValidate
          className="grid gap-5 sm:grid-cols-2"
          aria-label={editing ? "Edit alert" : "New alert"}
        >
          <Field id={`${prefix}-name`} label="Name" required error={errors.name} className="sm:col-span-2">
            <Input {...text("name")} maxLength={80} required autoComplete="off" placeholder="Cyber work in Virginia" />
          </Field>

          <FrequencyFieldset
            idPrefix={`${prefix}-frequency`}
            legend="How often"
            className="sm:col-span-2"
            error={errors.frequency}
            value={values.frequency}
            onChange={(f) => update("frequency", f)}
          />

          <Field
            id={`${prefix}-q`}
            label="Keywords"
            hint="Words to look for in the title, description and agency. Leave empty for any."
            error={errors.q}
            className="sm:col-span-2"
          >
            <Input {...text("q")} maxLength={500} autoComplete="off" placeholder="cybersecurity assessment" />
          </Field>
          <Field
            id={FIELD_IDS.naics}
            label="NAICS codes"
            hint="Search by words or code; 5415 also matches 541511. Leave empty for any industry."
            error={errors.naics}
            className="sm:col-span-2"
          >
            {(control) => (
              <NaicsPicker
                id={control.id}
                describedBy={control["aria-describedby"]}
                error={errors.naics}
                selected={values.naics}
                onChange={(naics) => update("naics", naics)}
              />
            )}
          </Field>
          <fieldset className="space-y-2 sm:col-span-2" aria-describedby={`${prefix}-states-hint`}>
            <legend className="text-sm font-medium text-slate-900">Places of performance</legend>
            <p id={`${prefix}-states-hint`} className="text-sm text-slate-600">
              Leave empty for anywhere.
            </p>
            <StatePicker
              filterId={FIELD_IDS.states}
              states={choices.states}
              selected={values.states}
              onChange={(states) => update("states", states)}
              describedBy={`${prefix}-states-hint`}
            />
            <PickerError message={errors.states} />
          </fieldset>
          <fieldset className="space-y-2 sm:col-span-2" aria-describedby={`${prefix}-set-asides-hint`}>
            <legend className="text-sm font-medium text-slate-900">Set-asides</legend>
            <p id={`${prefix}-set-asides-hint`} className="text-sm text-slate-600">
              Only notices set aside for one of these. Leave empty for every notice, set aside or not.
            </p>
            <SetAsidePicker
              idPrefix={`${prefix}-set-aside`}
              options={choices.setAsides}
              selected={values.set_asides}
              onChange={(setAsides) => update("set_asides", setAsides)}
            />
            <PickerError message={errors.set_asides} />
          </fieldset>
          <Field
            id={`${prefix}-email`}
            label="Send to"
            hint="Leave empty to use your own e-mail address."
            error={errors.delivery_email}
          >
            <Input {...text("delivery_email")} type="email" inputMode="email" autoComplete="email" />
          </Field>
          <Field
            id={`${prefix}-digest-limit`}
            label="Matches per e-mail"
            hint={`Best fit first, up to ${MAX_DIGEST_LIMIT}; the e-mail links to the rest.`}
            error={errors.digest_limit}
          >
            <Input {...text("digest_limit")} inputMode="numeric" autoComplete="off" />
          </Field>
          {values.frequency !== "instant" ? (
            <div className="flex items-start gap-2 sm:col-span-2">
              <input
                id={`${prefix}-nothing-new`}
                name="nothing_new_email"
                type="checkbox"
                className="mt-1 h-4 w-4 rounded border-slate-300 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500"
                checked={values.nothing_new_email}
                onChange={(e) => update("nothing_new_email", e.target.checked)}
                aria-describedby={`${prefix}-nothing-new-hint`}
              />
              <div>
                <label htmlFor={`${prefix}-nothing-new`} className="text-sm font-medium text-slate-900">
                  E-mail me when nothing is new
                </label>
                <p id={`${prefix}-nothing-new-hint`} className="text-sm text-slate-600">
                  A short note that Beacon checked: how many new notices it read, and that none matched.
                </p>
              </div>
            </div>
          ) : null}

          {channels.length > 0 ? (
            <fieldset className="space-y-2 sm:col-span-2" aria-describedby={`${prefix}-channels-hint`}>
              <legend className="text-sm font-medium text-slate-900">Also post to</legend>
              <p id={`${prefix}-channels-hint`} className="text-sm text-slate-600">
                New matches, and changes to notices this alert sent, go to these channels as well as the e-mail.
              </p>
              <div className="flex flex-wrap gap-x-5 gap-y-2">
                {channels.map((channel) => (
                  <label key={channel.id} className="flex items-center gap-2 text-sm text-slate-800">
                    <input
                      type="checkbox"
                      name="channel_ids"
                      value={channel.id}
                      className="h-4 w-4 rounded border-slate-300 accent-indigo-600"
                      checked={values.channel_ids.includes(channel.id)}
                      onChange={(e) =>
                        update(
                          "channel_ids",
                          e.target.checked
                            ? [...values.channel_ids, channel.id]
                            : values.channel_ids.filter((id) => id !== channel.id),
                        )
                      }
                    />
                    {channel.name} ({channel.kindLabel}
                    {channel.enabled ? "" : ", switched off"})
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}

          <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
            <Button type="submit" pending={save.isPending}>
              {editing ? "Save changes" : "Save alert"}
            </Button>
            {editing ? (
              <Button type="button" variant="ghost" onClick={editing.onCancel}>
                Cancel
              </Button>
            ) : null}
            {created ? (
              <p role="status" className="text-sm text-emerald-800">
                Saved “{created}”.
              </p>
            ) : null}
          </div>
        </form>
        {showGeneralError && save.error ? (
          <Alert tone="error" className="mt-4">
            {save.error.message}
          </Alert>
        ) : null}
      </CardBody>
    </Card>
  );
}
