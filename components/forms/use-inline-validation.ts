"use client";

import { useState, type FocusEvent } from "react";
import { checkText, type TextRules } from "@/lib/validation/rules";

/**
 * Validates a field when it loses focus with the same rules the server's zod schema is built
 * from (lib/validation), so people see a problem where they made it, before submitting — and
 * without shipping zod to the browser.
 */
export function useInlineValidation(
  rules: Record<string, TextRules>,
  serverErrors: Record<string, string> | undefined,
) {
  const [clientErrors, setClientErrors] = useState<Record<string, string | null>>({});

  function onBlur(event: FocusEvent<HTMLFormElement>) {
    const target = event.target as unknown as HTMLInputElement;
    const fieldRules = Object.hasOwn(rules, target.name) ? rules[target.name] : undefined;
    if (!fieldRules || target.value === "") return;
    setClientErrors((prev) => ({ ...prev, [target.name]: checkText(fieldRules, target.value) }));
  }

  function errorFor(name: string): string | undefined {
    if (name in clientErrors) return clientErrors[name] ?? undefined;
    return serverErrors?.[name];
  }

  function reset() {
    setClientErrors({});
  }

  return { onBlur, errorFor, reset };
}
