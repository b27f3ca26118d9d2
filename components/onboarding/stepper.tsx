import Link from "next/link";
import { ONBOARDING_STEPS, STEP_LABELS, onboardingPath, stepIndex, type OnboardingStep } from "@/lib/onboarding";

/**
 * Progress through the wizard. Steps already reached are links (to go back and edit);
 * the one on screen carries aria-current="step"; later ones are plain text.
 */
export function OnboardingStepper({ shown, reached }: { shown: OnboardingStep; reached: OnboardingStep }) {
  return (
    <nav aria-label="Setup progress" className="mb-6">
      <ol className="flex flex-wrap items-center gap-1 sm:gap-4">
        {ONBOARDING_STEPS.map((step, index) => {
          const isShown = step === shown;
          const isReached = index <= stepIndex(reached);
          const isDone = index < stepIndex(reached);
          const badge = (
            <span
              aria-hidden="true"
              className={`flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold ${
                isShown
                  ? "bg-indigo-600 text-white"
                  : isDone
                    ? "bg-indigo-100 text-indigo-800"
                    : "bg-slate-100 text-slate-500"
              }`}
            >
              {isDone && !isShown ? "✓" : index + 1}
            </span>
          );
          const label = (
            <span
              className={`${isShown ? "font-semibold text-slate-900" : "sr-only text-slate-600 sm:not-sr-only"} text-sm`}
            >
              {STEP_LABELS[step]}
              {isDone && !isShown ? <span className="sr-only"> (done)</span> : null}
            </span>
          );
          return (
            <li
              key={step}
              className="flex min-w-0 items-center gap-1 sm:gap-2"
              aria-current={isShown ? "step" : undefined}
            >
              {isReached && !isShown ? (
                <Link
                  href={onboardingPath(step)}
                  className="flex min-h-10 items-center gap-2 rounded-md px-1 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                >
                  {badge}
                  {label}
                </Link>
              ) : (
                <span className="flex min-h-10 items-center gap-2 px-1">
                  {badge}
                  {label}
                </span>
              )}
              {index < ONBOARDING_STEPS.length - 1 ? (
                <span aria-hidden="true" className="hidden h-px w-8 bg-slate-300 sm:block" />
              ) : null}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
