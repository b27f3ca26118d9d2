import Link from "next/link";
import { Button, Field, Input } from "@/components/ui";
import type { NaicsChoice } from "@/components/pickers/naics-picker";
import { NaicsFilter, SetAsideFilter, StateFilter } from "./search-pickers";

type Values = Record<string, string | string[]>;
const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(", ") : (v ?? ""));
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A plain GET form: every filter lives in the URL, so results can be shared and bookmarked. */
export function SearchFilters({
  values,
  errors,
  naics,
}: {
  values: Values;
  errors: Record<string, string>;
  /** The chosen NAICS codes with their titles (the page looks them up). */
  naics: NaicsChoice[];
}) {
  return (
    <form
      method="get"
      action="/opportunities"
      role="search"
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      {/* The status and sort switches below the form set these; a new search keeps them. */}
      {values.status ? <input type="hidden" name="status" value={text(values.status)} /> : null}
      {values.sort ? <input type="hidden" name="sort" value={text(values.sort)} /> : null}
      <div className="grid gap-4 sm:grid-cols-[2fr_1fr]">
        <Field id="q" label="Keywords" hint='Words, "exact phrases", or -excluded words.' error={errors.q}>
          <Input name="q" type="search" defaultValue={text(values.q)} maxLength={500} />
        </Field>
        <NaicsFilter initial={naics} error={errors.naics} />
      </div>
      <details
        className="mt-4"
        open={Boolean(
          values.state ||
          values.set_aside ||
          values.posted_from ||
          values.posted_to ||
          values.deadline_from ||
          values.deadline_to ||
          values.as_of,
        )}
      >
        <summary className="cursor-pointer text-sm font-medium text-indigo-700">More filters</summary>
        <div className="mt-4 grid gap-6 lg:grid-cols-2">
          <StateFilter initial={list(values.state)} error={errors.state} />
          <SetAsideFilter initial={list(values.set_aside)} error={errors.set_aside} />
        </div>
        <div className="mt-4 grid gap-4 sm:grid-cols-3">
          <Field id="as_of" label="As of" hint="Only what was posted by this date." error={errors.as_of}>
            <Input name="as_of" type="date" defaultValue={text(values.as_of)} />
          </Field>
          <Field id="posted_from" label="Posted from" error={errors.posted_from}>
            <Input name="posted_from" type="date" defaultValue={text(values.posted_from)} />
          </Field>
          <Field id="posted_to" label="Posted to" error={errors.posted_to}>
            <Input name="posted_to" type="date" defaultValue={text(values.posted_to)} />
          </Field>
          <Field id="deadline_from" label="Responses due after" error={errors.deadline_from}>
            <Input name="deadline_from" type="date" defaultValue={text(values.deadline_from)} />
          </Field>
        </div>
      </details>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <Button type="submit">Search</Button>
        <Link href="/opportunities" className="text-sm font-medium text-slate-600 underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
