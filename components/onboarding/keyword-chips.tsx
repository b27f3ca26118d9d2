"use client";

import { useRef, type KeyboardEvent } from "react";
import { Input } from "@/components/ui";
import { KEYWORD_RULES, MAX_KEYWORDS } from "@/lib/onboarding/rules";
import { checkText, normaliseText } from "@/lib/validation/rules";
import { Chip } from "@/components/pickers/chip";

/** Adds `text` to `keywords` if it is a valid new keyword; returns the list and any problem. */
export function addKeyword(keywords: string[], text: string): { keywords: string[]; problem: string | null } {
  if (!text.trim()) return { keywords, problem: null };
  const problem = checkText(KEYWORD_RULES, text);
  if (problem) return { keywords, problem };
  const keyword = normaliseText(KEYWORD_RULES, text);
  if (keywords.some((k) => k.toLowerCase() === keyword.toLowerCase())) return { keywords, problem: null };
  if (keywords.length >= MAX_KEYWORDS) return { keywords, problem: `You can add up to ${MAX_KEYWORDS} keywords.` };
  return { keywords: [...keywords, keyword], problem: null };
}

/**
 * Keyword chips: Enter or comma adds the typed keyword (Enter never submits the form),
 * Backspace in the empty field removes the last chip, each chip has its own remove button.
 */
export function KeywordChips({
  id,
  keywords,
  text,
  onChange,
  describedBy,
  invalid,
}: {
  id: string;
  keywords: string[];
  text: string;
  onChange: (next: { keywords: string[]; text: string; problem: string | null }) => void;
  describedBy?: string;
  invalid?: boolean;
}) {
  const inputRef = useRef<HTMLInputElement>(null);

  function commit(value: string) {
    const result = addKeyword(keywords, value);
    onChange({ keywords: result.keywords, text: result.problem ? value : "", problem: result.problem });
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      commit(text);
    } else if (event.key === "Backspace" && text === "" && keywords.length) {
      event.preventDefault();
      onChange({ keywords: keywords.slice(0, -1), text: "", problem: null });
    }
  }

  function onTextChange(value: string) {
    // Pasting "cyber, zero trust, cloud" adds every complete part at once.
    if (!value.includes(",")) return onChange({ keywords, text: value, problem: null });
    const parts = value.split(",");
    const rest = parts.pop() ?? "";
    let next = keywords;
    let problem: string | null = null;
    for (const part of parts) {
      const result = addKeyword(next, part);
      next = result.keywords;
      problem ??= result.problem;
    }
    onChange({ keywords: next, text: rest.trimStart(), problem });
  }

  return (
    <div className="space-y-2">
      {keywords.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Keywords">
          {keywords.map((k, index) => (
            <Chip
              key={k}
              removeLabel={`Remove keyword ${k}`}
              onRemove={() => {
                onChange({ keywords: keywords.filter((_, i) => i !== index), text, problem: null });
                inputRef.current?.focus();
              }}
            >
              {k}
            </Chip>
          ))}
        </ul>
      ) : null}
      <Input
        ref={inputRef}
        id={id}
        type="text"
        autoComplete="off"
        enterKeyHint="enter"
        placeholder={keywords.length ? "Add another keyword" : "e.g. cybersecurity, zero trust"}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        value={text}
        onChange={(e) => onTextChange(e.target.value)}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
