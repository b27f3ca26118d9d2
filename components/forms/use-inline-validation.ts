"use client";

import { useState, type FocusEvent } from "react";
import type { z } from "zod";

/**
 * Validates a field when it loses focus with the same Zod object schema the server uses,
 * so people see a problem where they made it, before submitting.
 */
export function useInlineValidation(schema: z.ZodObject, serverErrors: Record<string, string> | undefined) {
  const [clientErrors, setClientErrors] = useState<Record<string, string | null>>({});

  function onBlur(event: FocusEvent<HTMLFormElement>) {
    const target = event.target as unknown as HTMLInputElement;
    const fieldSchema = schema.shape[target.name] as z.ZodType | undefined;
    if (!fieldSchema || target.value === "") return;
    const result = fieldSchema.safeParse(target.value);
    setClientErrors((prev) => ({ ...prev, [target.name]: result.success ? null : (result.error.issues[0]?.message ?? "Invalid value.") }));
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
