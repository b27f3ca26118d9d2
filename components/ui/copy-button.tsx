"use client";

import { useState } from "react";
import { Button } from "./button";

/** Copies `value` to the clipboard; says so for a moment (and to screen readers). */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      // Clipboard access can be refused (insecure origin, permissions): the value is still selectable.
      setCopied("failed");
    }
    setTimeout(() => setCopied("idle"), 2_000);
  }
  return (
    <Button type="button" variant="secondary" size="sm" onClick={copy} aria-live="polite">
      {copied === "copied" ? "Copied" : copied === "failed" ? "Select and copy" : label}
    </Button>
  );
}
