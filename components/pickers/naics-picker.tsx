"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Input } from "@/components/ui";
import type { NaicsSearchState } from "@/components/data/naics-search";
import { MAX_NAICS_CODES } from "@/lib/onboarding/rules";
import { NAICS_FILTER_PATTERN } from "@/lib/opportunities/rules";
import { Chip } from "./chip";

export interface NaicsChoice {
  code: string;
  title: string;
}

// The search goes through TanStack Query (components/data/naics-search.ts), loaded when the
// picker is first focused: the pages with a picker keep the library out of their first-load JS.
const loadSearch = () => import("@/components/data/naics-search");

/** NAICS codes matching `term` (null: nothing to look up). */
function useNaicsSearch(term: string | null) {
  const [found, setFound] = useState<{ term: string; state: NaicsSearchState } | null>(null);
  useEffect(() => {
    if (term === null) return;
    let live = true;
    let stop: (() => void) | undefined;
    loadSearch().then(
      ({ watchNaicsSearch }) => {
        if (live) stop = watchNaicsSearch(term, (state) => setFound({ term, state }));
      },
      () => live && setFound({ term, state: { data: undefined, isError: true } }),
    );
    return () => {
      live = false;
      stop?.();
    };
  }, [term]);
  const state = found?.term === term ? found.state : undefined;
  const data = state?.data;
  const isError = term !== null && data === undefined && Boolean(state?.isError);
  return {
    data,
    isError,
    isPending: data === undefined && !isError,
    isFetching: term !== null && data === undefined && !isError,
  };
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Searchable NAICS picker (ARIA combobox with a listbox popup): type words ("cyber") or a code
 * prefix ("5415"), arrows to move, Enter to add. Chosen codes show as removable chips.
 */
export function NaicsPicker({
  id,
  selected,
  onChange,
  error,
  describedBy,
}: {
  id: string;
  selected: NaicsChoice[];
  onChange: (next: NaicsChoice[]) => void;
  error?: string;
  describedBy?: string;
}) {
  const listId = useId();
  const statusId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);
  const [hint, setHint] = useState<string | null>(null);
  const term = useDebounced(text.trim(), 250);
  const enabled = term.length >= 2;

  const search = useNaicsSearch(enabled ? term : null);

  const chosen = new Set(selected.map((s) => s.code));
  const options = enabled ? (search.data?.data ?? []).filter((row) => !chosen.has(row.code)) : [];
  const expanded = open && enabled && (options.length > 0 || !search.isPending);
  const active = options.length ? Math.min(activeIndex, options.length - 1) : -1;
  const optionId = (code: string) => `${listId}-${code}`;

  function add(choice: NaicsChoice) {
    if (chosen.has(choice.code)) return;
    if (selected.length >= MAX_NAICS_CODES) {
      setHint(`You can add up to ${MAX_NAICS_CODES} codes.`);
      return;
    }
    onChange([...selected, choice]);
    setText("");
    setHint(null);
    setOpen(false);
    setActiveIndex(0);
  }

  function remove(code: string) {
    onChange(selected.filter((s) => s.code !== code));
    inputRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      if (!options.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActiveIndex((active + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      // Enter picks a code; it must never submit the whole form from here.
      event.preventDefault();
      const option = expanded && active >= 0 ? options[active] : undefined;
      if (option) return add({ code: option.code, title: option.title });
      const typed = text.trim();
      if (NAICS_FILTER_PATTERN.test(typed)) {
        const known = search.data?.data.find((row) => row.code === typed);
        return add({ code: typed, title: known?.title ?? "" });
      }
      if (typed) setHint("Choose a code from the list, or type a code of 2 to 6 digits.");
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
      } else if (text) {
        event.preventDefault();
        setText("");
      }
    }
  }

  let status = "";
  if (enabled && search.isFetching && !search.data) status = "Searching NAICS codes…";
  else if (enabled && search.isError) status = "Could not search NAICS codes. Check your connection and try again.";
  else if (enabled && search.data && options.length === 0) status = `No NAICS codes match “${term}”.`;
  else if (expanded)
    status = `${options.length} code${options.length === 1 ? "" : "s"} found. Use up and down arrows to choose, Enter to add.`;

  const describedByAll = [describedBy, statusId].filter(Boolean).join(" ");

  return (
    <div className="space-y-2">
      {selected.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Chosen NAICS codes">
          {selected.map((s) => (
            <Chip
              key={s.code}
              removeLabel={`Remove NAICS ${s.code}${s.title ? ` ${s.title}` : ""}`}
              onRemove={() => remove(s.code)}
            >
              <span className="font-mono font-medium">{s.code}</span>
              {s.title ? <span className="text-indigo-800"> · {s.title}</span> : null}
            </Chip>
          ))}
        </ul>
      ) : null}
      <div className="relative">
        <Input
          ref={inputRef}
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(options[active]!.code) : undefined}
          aria-describedby={describedByAll}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          enterKeyHint="done"
          placeholder="Try “cyber” or “5415”"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActiveIndex(0);
            setHint(null);
          }}
          onFocus={() => {
            setOpen(true);
            void loadSearch();
          }}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="NAICS codes"
          hidden={!expanded || options.length === 0}
          className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-300"
        >
          {options.map((row, index) => (
            <li
              key={row.code}
              id={optionId(row.code)}
              role="option"
              aria-selected={index === active}
              // mousedown would blur the input and close the list before the click lands
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => add({ code: row.code, title: row.title })}
              className={`flex cursor-pointer gap-3 px-3 py-2.5 ${index === active ? "bg-indigo-600 text-white" : "text-slate-900 hover:bg-slate-100"}`}
            >
              <span className="w-16 shrink-0 font-mono font-medium">{row.code}</span>
              <span className="min-w-0">{row.title}</span>
            </li>
          ))}
        </ul>
      </div>
      <p id={statusId} className="text-sm text-slate-600" aria-live="polite">
        {hint ?? status}
      </p>
    </div>
  );
}
